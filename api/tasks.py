"""Webhook deliveries, sent by the task worker outside the request that caused them
(the immediate backend runs them at once in development and tests)."""

from django.tasks import task

from . import services
from .models import Delivery


@task
def deliver(delivery_id: int) -> str:
    """Attempt one delivery; its status afterwards (a failed attempt queues the next)."""
    delivery = Delivery.objects.select_related("webhook").filter(pk=delivery_id).first()
    if delivery is None:
        return "missing"
    return services.attempt_delivery(delivery).status
