"""People's rights: contesting an author's hide (and, below, Data Saya)."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods

from comments.access import get_comment_for_writer
from comments.models import CommentStatus
from moderation import services as moderation_services

from . import services
from .forms import ContestHideForm


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def contest_hide(request, pk):
    """The commenter asks the moderators to review the author's hide of their comment."""
    comment = get_comment_for_writer(request, pk)
    if comment.status != CommentStatus.HIDDEN_BY_AUTHOR:
        raise Http404
    back_url = reverse("comments:hidden_notice", kwargs={"pk": comment.pk})
    status = 200
    if request.method == "POST":
        form = ContestHideForm(request.POST)
        if form.is_valid():
            try:
                services.contest_comment_hide(
                    comment, by=request.user, details=form.cleaned_data["details"]
                )
            except moderation_services.AlreadyReported as error:
                messages.info(request, error.message)
                return redirect(back_url)
            except moderation_services.ReportRateLimited as error:
                form.add_error(None, error.message)
                status = 429
            except (moderation_services.TargetNotReportable, ValidationError) as error:
                form.add_error(None, getattr(error, "message", None) or error)
                status = 400
            else:
                messages.success(
                    request,
                    _("Thank you: the moderators will review it; you can follow it on My reports."),
                )
                return redirect(back_url)
        else:
            status = 400
    else:
        form = ContestHideForm()
    context = {"comment": comment, "form": form, "back_url": back_url}
    return render(request, "rights/contest_hide.html", context, status=status)
