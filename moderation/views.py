from django.contrib.auth import get_user_model
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, render

from articles.access import get_article_for_reader
from comments.access import get_comment_for_reader


# Placeholders until the reporting issue lands: the article page links here by
# name, and these pages say that reporting is not open yet.
@login_required
def report_article(request, pk):
    article = get_article_for_reader(request, pk)
    return render(request, "moderation/report_pending.html", {"target": article})


@login_required
def report_account(request, username):
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    return render(request, "moderation/report_pending.html", {"target": person})


@login_required
def report_comment(request, pk):
    comment = get_comment_for_reader(request, pk)
    return render(request, "moderation/report_pending.html", {"target": comment})
