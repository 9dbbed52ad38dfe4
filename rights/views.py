"""People's rights: contesting an author's hide, Data Saya, appeals, and the
public transparency report."""

import csv
from datetime import datetime

from django.contrib import messages
from django.contrib.auth import logout
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils.formats import date_format
from django.utils.timezone import localtime
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe

from comments.access import get_comment_for_writer
from comments.models import CommentStatus
from moderation import services as moderation_services
from moderation.models import ModerationAction

from . import exports, services
from . import transparency as transparency_report
from .forms import (
    AppealForm,
    ConsentForm,
    ContestHideForm,
    CorrectionRequestForm,
    DeleteAccountForm,
    ReplyForm,
)
from .models import (
    APPEALABLE_KINDS,
    Appeal,
    ConsentChange,
    CorrectionRequest,
    DataExport,
    RightOfReply,
)

EXPORTS_SHOWN = 5
HISTORY_SHOWN = 20


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


# Data Saya


def _my_data_page(request, *, consent_form=None, correction_form=None, status=200):
    user = request.user
    exports = list(DataExport.objects.for_user(user)[:EXPORTS_SHOWN])
    context = {
        "exports": exports,
        "in_progress": any(e.status in DataExport.IN_PROGRESS for e in exports),
        "consent_form": consent_form or ConsentForm(initial=services.consent_state(user)),
        "consent_history": ConsentChange.objects.filter(user=user).order_by("-changed_at", "-pk")[
            :HISTORY_SHOWN
        ],
        "correction_form": correction_form or CorrectionRequestForm(),
        "corrections": CorrectionRequest.objects.filter(user=user).order_by("-created_at")[
            :HISTORY_SHOWN
        ],
    }
    for export in exports:
        export.download_url = services.download_url(export) if export.is_downloadable else ""
    return render(request, "rights/my_data.html", context, status=status)


@login_required
@require_safe
def my_data(request):
    """Data Saya: export, consent switches with their history, correction requests."""
    return _my_data_page(request)


@login_required
@require_POST
def request_export(request):
    try:
        services.request_export(request.user)
    except services.ExportRefused as error:
        messages.error(request, error.message)
    else:
        messages.success(
            request,
            _(
                "Your export is being prepared. This page shows its progress; "
                "we also email you the link when it is ready."
            ),
        )
    return redirect("rights:my_data")


@login_required
@require_safe
def download_export(request, token):
    """Send the ZIP to its owner through the signed, time-limited link."""
    export = services.export_for_download(token, user=request.user)
    if export is None:
        raise Http404
    try:
        handle = exports.storage().open(export.file_name, "rb")
    except OSError as error:
        raise Http404 from error
    filename = f"data-saya-{request.user.username}-{export.finished_at:%Y%m%d}.zip"
    response = FileResponse(handle, as_attachment=True, filename=filename)
    response["Cache-Control"] = "private, no-store"
    return response


@login_required
@require_POST
def save_consent(request):
    form = ConsentForm(request.POST)
    if not form.is_valid():
        return _my_data_page(request, consent_form=form, status=400)
    changes = services.save_consent(request.user, data=form.cleaned_data)
    if changes:
        messages.success(request, _("Your choices are saved."))
    else:
        messages.info(request, _("Nothing changed."))
    return redirect(f"{reverse('rights:my_data')}#persetujuan")


@login_required
@require_POST
def request_correction(request):
    form = CorrectionRequestForm(request.POST)
    if form.is_valid():
        try:
            services.request_correction(request.user, what=form.cleaned_data["what"])
        except ValidationError as error:
            form.add_error("what", error)
        else:
            messages.success(
                request,
                _("Your request is received. We answer within 3×24 hours."),  # noqa: RUF001
            )
            return redirect(f"{reverse('rights:my_data')}#koreksi")
    return _my_data_page(request, correction_form=form, status=400)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete_account(request):
    """Delete my account: password and a choice for the writing; 14 days' grace."""
    status = 200
    if request.method == "POST":
        form = DeleteAccountForm(request.POST)
        if form.is_valid():
            try:
                deletion = services.request_deletion(
                    request.user,
                    password=form.cleaned_data["password"],
                    writing=form.cleaned_data["writing"],
                )
            except services.DeletionRefused as error:
                form.add_error(None, error.message)
            else:
                logout(request)
                messages.success(
                    request,
                    _(
                        "Your account will be deleted on %(when)s. Until then, signing in "
                        "cancels it."
                    )
                    % {"when": date_format(localtime(deletion.due_at), "DATETIME_FORMAT")},
                )
                return redirect("articles:home")
        status = 400
    else:
        form = DeleteAccountForm()
    return render(request, "rights/delete_account.html", {"form": form}, status=status)


# Appeals


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def appeal(request, action_id):
    """Appeal one moderation decision about my content or account (or see its outcome)."""
    action = get_object_or_404(
        ModerationAction.objects.select_related("case__article", "case__comment"),
        pk=action_id,
        case__owner=request.user,
        kind__in=APPEALABLE_KINDS,
    )
    existing = Appeal.objects.filter(action=action).first()
    status = 200
    form = AppealForm()
    if request.method == "POST" and existing is None:
        form = AppealForm(request.POST)
        if form.is_valid():
            try:
                services.file_appeal(action, by=request.user, text=form.cleaned_data["text"])
            except services.AppealRefused as error:
                form.add_error(None, error.message)
            else:
                messages.success(
                    request,
                    _(
                        "Your appeal is received. A moderator other than the one who "
                        "decided will answer you by email."
                    ),
                )
                return redirect("rights:appeal", action_id=action.pk)
        status = 400
    context = {
        "action": action,
        "existing": existing,
        "form": form,
        "refusal": None if existing else services.appealable(action, user=request.user),
    }
    return render(request, "rights/appeal.html", context, status=status)


# The public transparency report


@require_safe
def transparency(request):
    """The months with a report, newest first."""
    months = [
        {"year": y, "month": m, "label": date_format(datetime(y, m, 1), "YEAR_MONTH_FORMAT")}
        for y, m in transparency_report.months_available()
    ]
    return render(request, "rights/transparency_index.html", {"months": months})


@require_safe
def transparency_month(request, year, month, fmt=""):
    """One month's figures as a page, or (``.csv``) as CSV."""
    if not transparency_report.is_valid_month(year, month):
        raise Http404
    report = transparency_report.build(year, month)
    if fmt == "csv":
        response = HttpResponse(content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = (
            f'attachment; filename="transparansi-{year}-{month:02d}.csv"'
        )
        csv.writer(response).writerows(transparency_report.csv_rows(report))
        return response
    label = date_format(datetime(year, month, 1), "YEAR_MONTH_FORMAT")
    return render(request, "rights/transparency_month.html", {"report": report, "label": label})


# The right of reply


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def reply(request, pk):
    """The author of a reported article gives their side before the decision."""
    invitation = get_object_or_404(
        RightOfReply.objects.select_related("case__article"), pk=pk, author=request.user
    )
    status = 200
    form = ReplyForm()
    if request.method == "POST":
        form = ReplyForm(request.POST)
        if form.is_valid():
            try:
                services.submit_reply(invitation, by=request.user, text=form.cleaned_data["text"])
            except ValidationError as error:
                form.add_error(None, error)
            else:
                messages.success(request, _("Thank you: the moderators will read your reply."))
                return redirect("rights:reply", pk=invitation.pk)
        status = 400
    context = {"invitation": invitation, "form": form}
    return render(request, "rights/reply.html", context, status=status)
