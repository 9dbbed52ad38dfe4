from django.core.management.base import BaseCommand

from articles.services import publish_due_articles


class Command(BaseCommand):
    help = (
        "Publish the scheduled articles whose time has come (the worker does it "
        "on time; this is for development and a lost task)."
    )

    def handle(self, *args, **options):
        published = publish_due_articles()
        self.stdout.write(f"{published} scheduled articles published.")
