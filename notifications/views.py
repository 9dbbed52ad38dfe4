"""The notifications page, marking read, and the email switches. All for the
signed-in person's own notifications only: the queries filter on the recipient."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from core.pagination import PAGE_PARAMETER, page_number, paginate

from . import services
from .forms import EmailPreferenceForm
from .models import Notification

NOTIFICATIONS_PER_PAGE = 20


def _back_to_list(request):
    """The page of the list the form was sent from; page 1 for anything odd."""
    url = reverse("notifications:list")
    page = page_number(request.POST.get(PAGE_PARAMETER))
    if page is not None and 1 < page < 10_000:
        url += f"?{PAGE_PARAMETER}={page}"
    return redirect(url)


@login_required
@require_safe
def notification_list(request):
    """Newest first, unread ones marked, each with a button to mark it read."""
    page = paginate(
        request,
        Notification.objects.for_recipient(request.user).for_page(),
        NOTIFICATIONS_PER_PAGE,
    )
    return render(request, "notifications/list.html", {"page": page})


@login_required
@require_POST
def mark_read(request, pk):
    marked = services.mark_read(request.user, notification_id=pk)
    # Already read is fine (a second click); someone else's or a missing one is not.
    if not marked and not Notification.objects.for_recipient(request.user).filter(pk=pk).exists():
        messages.error(request, _("That notification does not exist."))
    return _back_to_list(request)


@login_required
@require_safe
def open_notification(request, pk):
    """Follow a notification to what it is about, marking it read on the way (as a
    click on it means it was seen; a HEAD request changes nothing). Only the
    person's own: anyone else's, or a missing one, is a 404."""
    notice = get_object_or_404(Notification.objects.for_recipient(request.user).for_page(), pk=pk)
    if request.method == "GET" and notice.is_unread:
        services.mark_read(request.user, notification_id=notice.pk)
    return redirect(notice.target_url)


@login_required
@require_POST
def mark_all_read(request):
    count = services.mark_all_read(request.user)
    if count:
        messages.success(request, _("All notifications are marked as read."))
    else:
        messages.info(request, _("You have no unread notifications."))
    return _back_to_list(request)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def preferences(request):
    """Which notifications also arrive by email."""
    instance = services.email_preferences(request.user)
    if request.method == "POST":
        form = EmailPreferenceForm(request.POST, instance=instance)
        if form.is_valid():
            services.save_email_preferences(request.user, data=form.cleaned_data)
            messages.success(request, _("Your email settings are saved."))
            return redirect("notifications:preferences")
        status = 400
    else:
        form, status = EmailPreferenceForm(instance=instance), 200
    return render(request, "notifications/preferences.html", {"form": form}, status=status)
