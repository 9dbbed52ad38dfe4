"""Reader-facing moderation pages: report an article, a comment or an account, and
Laporan Saya (the reader's own reports with their outcome). Moderators work in the admin."""

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404
from django.shortcuts import redirect, render
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_safe

from core.pagination import paginate

from . import services
from .access import get_account_to_report, get_article_to_report, get_comment_to_report
from .forms import ReportForm
from .models import Report, TargetType

REPORTS_PER_PAGE = 20


def _report_page(request, *, target, target_type, owner, file_report, back_url):
    """The report form for one target: GET shows it, POST files the report and
    returns to the target with a message (POST-redirect-GET)."""
    if owner.pk == request.user.pk:
        messages.error(request, _("You cannot report your own content or account."))
        return redirect(back_url)
    existing = Report.objects.open().filter(reporter=request.user, **{target_type: target}).first()
    status = 200
    if request.method == "POST":
        form = ReportForm(request.POST)
        if form.is_valid():
            try:
                file_report(
                    target,
                    reporter=request.user,
                    reason=form.cleaned_data["reason"],
                    details=form.cleaned_data["details"],
                )
            except services.ReportRateLimited as error:
                form.add_error(None, error.message)
                status = 429
            except services.AlreadyReported as error:
                messages.info(request, error.message)
                return redirect(back_url)
            except services.TargetNotReportable as error:
                raise Http404 from error
            except services.OwnContentReport as error:
                messages.error(request, error.message)
                return redirect(back_url)
            except ValidationError as error:
                form.add_error(None, error)
                status = 400
            else:
                messages.success(
                    request,
                    _(
                        "Thank you: your report was received. Our moderators will review it; "
                        "you can follow it on My reports."
                    ),
                )
                return redirect(back_url)
        else:
            status = 400
    else:
        form = ReportForm()
    context = {
        "form": form,
        "target": target,
        "target_type": target_type,
        "existing": existing,
        "back_url": back_url,
    }
    return render(request, "moderation/report_form.html", context, status=status)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_article(request, pk):
    article = get_article_to_report(request, pk)
    return _report_page(
        request,
        target=article,
        target_type=TargetType.ARTICLE,
        owner=article.author,
        file_report=services.report_article,
        back_url=article.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_comment(request, pk):
    comment = get_comment_to_report(request, pk)
    return _report_page(
        request,
        target=comment,
        target_type=TargetType.COMMENT,
        owner=comment.author,
        file_report=services.report_comment,
        back_url=comment.get_absolute_url(),
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def report_account(request, username):
    account = get_account_to_report(request, username)
    return _report_page(
        request,
        target=account,
        target_type=TargetType.ACCOUNT,
        owner=account,
        file_report=services.report_account,
        back_url=account.get_absolute_url(),
    )


@login_required
@require_safe
def my_reports(request):
    """Laporan Saya: every report the reader filed, newest first, with its outcome."""
    page = paginate(request, Report.objects.for_reporter(request.user), REPORTS_PER_PAGE)
    return render(request, "moderation/my_reports.html", {"page": page})
