from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import ValidationError
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.utils.cache import add_never_cache_headers
from django.utils.formats import date_format
from django.utils.functional import SimpleLazyObject
from django.utils.timezone import localtime
from django.utils.translation import get_language
from django.utils.translation import gettext as _
from django.views.decorators.http import require_http_methods, require_POST, require_safe
from taggit.models import Tag

from accounts.models import PUBLIC_FIELDS
from caching import generations, readers
from caching.pages import on_hit, public_page
from core import origin, screening
from core.pagination import paginate

from . import selectors, services
from .access import (
    can_see_unpublished,
    get_article_for_editor,
    get_article_for_reader,
    get_revision_for_editor,
)
from .forms import ArticleForm, BodyImageForm
from .models import WIB, Article, ArticleAutosave, ArticleRevision, BodyImage, Series
from .revisions import compare
from .services import normalise_tag
from .statistics import author_statistics

SIDEBAR_SIZE = 5
# A tag lists its newest articles on this many pages at most: its deeper pages
# would join and sort every article carrying the tag (hundreds of milliseconds
# for a tag on 100,000 articles, bench/README.md). Older ones are found by search.
TAG_PAGES = 100
LIST_QUERY = ["halaman"]
ARTICLE_QUERY = ["komentar", "urutan"]


@require_safe
@public_page(query=LIST_QUERY, depends=[generations.LISTS, generations.PEOPLE])
def home(request):
    published = Article.objects.published().for_cards()
    # The headline stands on its own above the list, so the list leaves it out.
    headline = next(iter(selectors.headline()), None)
    latest = published.exclude(pk=headline.pk) if headline else published
    page = paginate(
        request,
        latest.newest_first(),
        settings.ARTICLES_PER_PAGE,
        count_key="home",
        total=lambda: selectors.published_total() - (1 if headline else 0),
    )
    context = {
        "page": page,
        "headline": headline if page.number == 1 else None,
        "picks": published.filter(is_pick=True).newest_first()[:SIDEBAR_SIZE],
        "most_viewed": published.most_viewed()[:SIDEBAR_SIZE],
    }
    return render(request, "articles/home.html", context)


@require_safe
@public_page(query=LIST_QUERY, depends=[generations.PEOPLE])
def topic(request, slug):
    topic = selectors.topic(slug)
    generations.depend_on(generations.topic(topic.pk))
    articles = Article.objects.published().in_topic(topic).for_cards().newest_first()
    context = {
        "topic": topic,
        "children": topic.children.all(),
        "page": paginate(
            request,
            articles,
            settings.ARTICLES_PER_PAGE,
            count_key=f"topic:{topic.pk}",
            depends=[generations.topic(topic.pk)],
            total=lambda: selectors.published_in(topic),
        ),
    }
    return render(request, "articles/topic.html", context)


@require_safe
@public_page(query=LIST_QUERY, depends=[generations.LISTS, generations.PEOPLE])
def tag(request, slug):
    tag = selectors.tag(slug)
    articles = Article.objects.published().filter(tags=tag).for_cards().newest_first()
    page = paginate(
        request,
        articles,
        settings.ARTICLES_PER_PAGE,
        count_key=f"tag:{tag.pk}",
        max_pages=TAG_PAGES,
    )
    context = {"tag": tag, "page": page}
    return render(request, "articles/tag.html", context)


@require_safe
@public_page(query=LIST_QUERY)
def author(request, username):
    # The author's public page lists their articles, so it lives here rather
    # than in accounts (accounts never imports articles).
    person = selectors.public_author(selectors.author_pk(username))
    articles = person.articles.published().for_cards().newest_first()
    context = {
        "person": person,
        "page": paginate(
            request,
            articles,
            settings.ARTICLES_PER_PAGE,
            count_key=f"author:{person.pk}",
            depends=[generations.author(person.pk)],
        ),
        # Lazy: a cached page content never reads it. The author, staff and
        # the dashboard get the figures fresh; other readers share them.
        "stats": SimpleLazyObject(
            lambda: (
                author_statistics(person)
                if request.user.pk == person.pk or request.user.is_staff
                else selectors.author_figures(person.pk)
            )
        ),
        "corrections": SimpleLazyObject(lambda: selectors.author_corrections(person.pk)),
    }
    readers.not_for(request, person.pk)  # their own page has no follow button
    return render(request, "articles/author.html", context)


def _article_for_reader(request, pk):
    """The article and its body split into pages, as get_article_for_reader allows.

    Readers share one copy from the cache; its view count is at most
    PAGE_CACHE_SECONDS old. Its author and staff read it from the database each
    time (so an edit shows at once, even with read replicas), and so does
    anyone asking for a draft (only they may see one).
    """

    def load():
        article = get_article_for_reader(request, pk)
        return article, article.pages()

    try:
        article, pages = selectors.public_article(pk)
    except Http404:
        if not request.user.is_authenticated:
            raise
        return load()
    if can_see_unpublished(request, article):
        return load()
    # Shown under the author's own generation, so a profile edit shows here.
    article.author = selectors.public_author(article.author_id)
    return article, pages


def _render_article(request, article, pages, *, page_number=None):
    if article.status == Article.Status.WITHHELD:
        return _withheld(request, article)
    if article.status == Article.Status.HIDDEN and not can_see_unpublished(request, article):
        response = render(request, "articles/hidden.html", {"article": article}, status=410)
        # A 410 may be cached by browsers and proxies unless told otherwise, and
        # a moderator may restore the article in a minute.
        add_never_cache_headers(response)
        return response
    show_all = page_number is None
    if not show_all and page_number > len(pages):
        raise Http404
    # The page shows its author, and the related list its topic's articles.
    generations.depend_on(
        generations.author(article.author_id), generations.related(article.topic_id)
    )
    readers.not_for(request, article.author_id)  # no rating form, no follow button
    services.record_view(article, request)
    # A cached copy of this page still counts its reader.
    on_hit(request, services.record_view, services.ViewTarget.of(article))
    context = {
        "article": article,
        "pages": pages,
        "page_count": len(pages),
        "page_number": page_number,
        "page_numbers": range(1, len(pages) + 1),
        "body_html": "".join(pages) if show_all else pages[page_number - 1],
        "show_all": show_all and len(pages) > 1,
        # Lazy: a signed-out reader's cached head and content never read them.
        "related": SimpleLazyObject(lambda: selectors.related(article.pk, article.topic_id)),
        # The counts alone (a reader's own rating is their slot): from the cache.
        "rating": SimpleLazyObject(lambda: selectors.rating_counts(article.pk, get_language())),
        "share": SimpleLazyObject(
            lambda: _share_context(request, article, page_number=page_number, show_all=show_all)
        ),
    }
    return render(request, "articles/detail.html", context)


def _withheld(request, article):
    """451 Unavailable For Legal Reasons (RFC 7725) for everyone, its author too:
    the notice names the order's legal basis (composed by the rights app) and
    ``Link: rel="blocked-by"`` names who withholds it, this site."""
    context = {"article": article, "is_author": request.user.pk == article.author_id}
    response = render(request, "articles/withheld.html", context, status=451)
    response["Link"] = f'<{origin.site_url()}>; rel="blocked-by"'
    add_never_cache_headers(response)
    return response


def _share_context(request, article, *, page_number, show_all):
    """Canonical URL, share image and schema.org data for the article's head."""
    # Each page is its own document; the show-all view repeats them, so it
    # points search engines at the first page.
    path = article.get_page_url(page_number or 1) if not show_all else article.get_absolute_url()
    canonical_url = origin.absolute_url(path)
    image_url = origin.absolute_url(article.page_image.url) if article.cover else ""
    structured = {
        "@context": "https://schema.org",
        "@type": "Article",
        "headline": article.title,
        "description": article.teaser,
        "url": canonical_url,
        "mainEntityOfPage": canonical_url,
        "articleSection": article.topic.name,
        "author": {
            "@type": "Person",
            "name": article.author.name,
            "url": origin.absolute_url(article.author.get_absolute_url()),
        },
        "publisher": {"@type": "Organization", "name": settings.SITE_NAME},
    }
    if article.published_at:
        structured["datePublished"] = article.published_at.isoformat()
        structured["dateModified"] = (article.updated_at or article.published_at).isoformat()
    if image_url:
        structured["image"] = [image_url]
    return {
        "canonical_url": canonical_url,
        "share_image_url": image_url,
        "structured_data": structured,
    }


def _article_depends(pk, **kwargs):
    return [generations.article(pk), generations.PEOPLE]


@require_safe
@public_page(query=ARTICLE_QUERY, depends=_article_depends)
def detail(request, pk, slug):
    article, pages = _article_for_reader(request, pk)
    if slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=True)
    return _render_article(request, article, pages, page_number=1)


@require_safe
@public_page(query=ARTICLE_QUERY, depends=_article_depends)
def page(request, pk, slug, page):
    if page < 1:
        raise Http404
    article, pages = _article_for_reader(request, pk)
    if slug != article.slug or page == 1:
        return redirect(article.get_page_url(page), permanent=True)
    return _render_article(request, article, pages, page_number=page)


@require_safe
@public_page(query=ARTICLE_QUERY, depends=_article_depends)
def all_pages(request, pk, slug):
    article, pages = _article_for_reader(request, pk)
    if slug != article.slug:
        return redirect(article.get_all_pages_url(), permanent=True)
    return _render_article(request, article, pages)


# Authoring -----------------------------------------------------------------


def _save_from_form(request, article):
    """Bind the form, save through the service, and act on the pressed button."""
    form = ArticleForm(request.POST, request.FILES, instance=article)
    if not form.is_valid():
        messages.error(request, _("Please correct the marked fields."))
        return None, form
    changes = {
        "author": request.user,
        "data": form.cleaned_data,
        "tags": form.cleaned_data["tags"],
        "cover_upload": form.cleaned_data.get("cover_upload"),
        "remove_cover": form.cleaned_data.get("remove_cover", False),
        "expected_version": _edit_version(request),
    }
    if request.POST.get("action") == "correct":
        try:
            services.correct_article(
                article, by=request.user, note=form.cleaned_data["correction_note"], **changes
            )
        except ValidationError as error:
            on_note = error.code in ("required", "too_long", "not_published")
            on_form = error.code == "conflict"
            form.add_error(
                None if on_form else "correction_note" if on_note else "cover_upload", error
            )
            return None, form
        return article, form
    try:
        article = services.save_article(article, **changes)
    except services.EditConflict as error:
        form.add_error(None, error)
        return None, form
    except ValidationError as error:
        form.add_error("series_title" if error.code == "series_full" else "cover_upload", error)
        return None, form
    return article, form


def _edit_version(request) -> int | None:
    """The edit_version the write page was opened at (None: no check, as before)."""
    value = request.POST.get("edit_version", "")
    return int(value) if value.isascii() and value.isdigit() and len(value) < 10 else None


def _after_save(request, article, form):
    action = request.POST.get("action", "draft")
    if action == "publish":
        return _publish(request, article)
    if action == "schedule" and article.status == Article.Status.DRAFT:
        return _schedule(request, article, form.cleaned_data["scheduled_for"])
    if action == "unschedule" and article.scheduled_at is not None:
        services.cancel_schedule(article, by=request.user)
        messages.success(request, _("The schedule is cancelled: the article stays a draft."))
        return redirect("articles:edit", pk=article.pk)
    if action == "preview":
        return redirect(article.get_absolute_url())
    if action == "correct":
        messages.success(request, _("Your correction is published."))
        return redirect(f"{article.get_absolute_url()}#ralat")
    if article.is_public:
        messages.success(request, _("Your changes are published."))
        return redirect(article.get_absolute_url())
    messages.success(request, _("Draft saved."))
    return redirect("articles:edit", pk=article.pk)


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def write(request):
    article = Article()
    if request.method == "POST":
        saved, form = _save_from_form(request, article)
        if saved:
            return _after_save(request, saved, form)
        status = 400
    else:
        form, status = ArticleForm(), 200
    context = {
        "form": form,
        "article": None,
        "series_choices": _series_choices(request.user),
        "image_form": BodyImageForm(prefix="photo"),
    }
    return render(request, "articles/write.html", context, status=status)


def _series_choices(author) -> list[str]:
    """The author's series titles, offered by the form's series field."""
    return list(
        Series.objects.filter(author=author)
        .order_by("-created_at")
        .values_list("title", flat=True)[:SERIES_CHOICES]
    )


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def edit(request, pk):
    article = get_article_for_editor(request, pk)
    pending = None
    if request.method == "POST":
        saved, form = _save_from_form(request, article)
        if saved:
            return _after_save(request, saved, form)
        article.refresh_from_db()  # the page shows the stored state beside the errors
        status = 400
    else:
        pending = _pending_changes(article)
        initial = (
            {field: getattr(pending, field) for field in services.REVISION_FIELDS}
            if pending
            else None
        )
        form, status = ArticleForm(instance=article, initial=initial), 200
    context = {
        "form": form,
        "article": article,
        "pending": pending,
        "series_choices": _series_choices(article.author),
        "image_form": BodyImageForm(prefix="photo"),
        "body_images": _body_images(article),
    }
    return render(request, "articles/write.html", context, status=status)


def _body_images(article):
    """The article's photos, as its write page lists them (bounded by the per-article limit)."""
    return list(
        BodyImage.objects.filter(article=article).order_by("created_at", "id")[
            : settings.BODY_IMAGES_PER_ARTICLE
        ]
    )


# Where each refusal of upload_body_image is shown on the form.
_IMAGE_ERROR_FIELDS = {"alt_required": "alt", "too_long": "alt"}


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def upload_image(request, pk=None):
    """A photo for the body (README, "Writing"). The write page's script posts
    here and inserts the figure it gets back where the cursor is (JSON).
    Without JavaScript this is a page of its own: the photo goes at the end of
    the article's text. A new article gets photos once it is saved.

    A refused photo is a state of the dialog, as autosave's are: JSON answers
    200 with ``state`` "invalid" and the message to show."""
    article = get_article_for_editor(request, pk) if pk is not None else None
    wants_json = "application/json" in request.headers.get("Accept", "")
    if request.method == "POST":
        form = BodyImageForm(request.POST, request.FILES, prefix="photo")
    else:
        form = BodyImageForm(prefix="photo")
    if request.method == "POST":
        image = None
        if form.is_valid():
            try:
                image = services.upload_body_image(
                    owner=request.user,
                    upload=form.cleaned_data["image"],
                    alt=form.cleaned_data["alt"],
                    caption=form.cleaned_data["caption"],
                    article=article,
                )
            except ValidationError as error:
                form.add_error(_IMAGE_ERROR_FIELDS.get(error.code, "image"), error)
        if wants_json:
            if image is None:
                problems = [message for errors in form.errors.values() for message in errors]
                return JsonResponse({"state": "invalid", "message": " ".join(problems)})
            return JsonResponse(
                {
                    "state": "saved",
                    "html": services.body_image_html(image),
                    "message": _("The photo is in your article. Save to keep it."),
                }
            )
        if image is not None and article is not None:
            services.add_body_image_at_end(article, image, by=request.user)
            messages.success(request, _("The photo is added at the end of your article."))
            return redirect("articles:edit", pk=article.pk)
        if image is not None:
            # Only a hand-made request gets here: the write page offers the upload
            # page once the article exists.
            context = {
                "article": None,
                "form": BodyImageForm(prefix="photo"),
                "snippet": services.body_image_html(image),
            }
            return render(request, "articles/upload_image.html", context)
        messages.error(request, _("Please correct the marked fields."))
    return render(
        request,
        "articles/upload_image.html",
        {"article": article, "form": form},
        status=400 if form.errors else 200,
    )


def _pending_changes(article):
    """A published article's autosaved changes, shown in the form until saved."""
    if article.status == Article.Status.DRAFT:
        return None
    return ArticleAutosave.objects.filter(article=article).first()


@login_required
@require_POST
def autosave(request, pk=None):
    """The write page's autosave (static/js/autosave.js): JSON, never a redirect.

    A form not yet complete (a new article without its topic) and a conflict
    with another tab are states of the page, not failed requests: they answer
    200 with ``state`` "invalid" or "conflict" and the message to show.
    """
    article = get_article_for_editor(request, pk) if pk is not None else Article()
    form = ArticleForm(request.POST, instance=article)
    if not form.is_valid():
        first_error = next(iter(form.errors.values()))[0]
        message = _("Not saved yet: %(problem)s") % {"problem": first_error}
        return JsonResponse({"state": "invalid", "message": message})
    try:
        saved = services.autosave_article(
            article,
            by=request.user,
            data=form.cleaned_data,
            tags=form.cleaned_data["tags"],
            expected_version=_edit_version(request),
        )
    except services.EditConflict as error:
        return JsonResponse({"state": "conflict", "message": error.messages[0]})
    time = date_format(localtime(timezone.now(), WIB), "H:i")
    if saved.status == Article.Status.DRAFT:
        message = _("Saved %(time)s") % {"time": time}
    else:
        message = _("Saved %(time)s, not yet published: Save changes publishes them.") % {
            "time": time
        }
    return JsonResponse(
        {
            "state": "saved",
            "message": message,
            "version": saved.edit_version,
            "edit_url": reverse("articles:edit", kwargs={"pk": saved.pk}),
            "autosave_url": reverse("articles:autosave", kwargs={"pk": saved.pk}),
        }
    )


@login_required
@require_POST
def discard_autosave(request, pk):
    article = get_article_for_editor(request, pk)
    if services.discard_autosave(article, by=request.user):
        messages.success(request, _("The unsaved changes are discarded."))
    return redirect("articles:edit", pk=article.pk)


@login_required
@require_POST
def publish(request, pk):
    return _publish(request, get_article_for_editor(request, pk))


def _publish(request, article):
    try:
        services.publish_article(article, by=request.user, **screening.form_signals(request.POST))
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("articles:edit", pk=article.pk)
    if article.status == Article.Status.HELD:
        messages.info(
            request,
            _("Your article is waiting for review: a moderator looks at it before it is public."),
        )
        return redirect(article.get_absolute_url())
    messages.success(request, _("Your article is published."))
    return redirect(article.get_absolute_url())


def _schedule(request, article, when):
    try:
        services.schedule_article(article, when=when, by=request.user)
    except ValidationError as error:
        messages.error(request, error.messages[0])
        return redirect("articles:edit", pk=article.pk)
    if article.is_public:  # the time had passed
        messages.success(request, _("The time has passed, so your article is published now."))
        return redirect(article.get_absolute_url())
    messages.success(
        request,
        _("Scheduled: your article is published on %(when)s WIB.")
        % {"when": date_format(localtime(article.scheduled_at, WIB), "DATETIME_FORMAT")},
    )
    return redirect("articles:dashboard")


@login_required
@require_POST
def unpublish(request, pk):
    article = get_article_for_editor(request, pk)
    services.unpublish_article(article, by=request.user)
    messages.success(request, _("The article is a draft again: only you can see it."))
    return redirect("articles:dashboard")


@login_required
@require_http_methods(["GET", "HEAD", "POST"])
def delete(request, pk):
    article = get_article_for_editor(request, pk)
    if request.method == "POST":
        services.delete_article(article, by=request.user)
        messages.success(request, _("The article is deleted."))
        return redirect("articles:dashboard")
    return render(request, "articles/confirm_delete.html", {"article": article})


REVISIONS_PER_PAGE = 20
SERIES_CHOICES = 50


@login_required
@require_safe
def revisions(request, pk):
    """The article's revisions, newest first, for its author and staff."""
    article = get_article_for_editor(request, pk)
    history = (
        ArticleRevision.objects.filter(article=article)
        .select_related("created_by")
        .only("kind", "created_at", "article_id", *(f"created_by__{f}" for f in PUBLIC_FIELDS))
        .order_by("-created_at", "-id")
    )
    context = {"article": article, "page": paginate(request, history, REVISIONS_PER_PAGE)}
    return render(request, "articles/revisions.html", context)


@login_required
@require_safe
def revision(request, pk, revision):
    """One revision: what changed from the one before it, and a restore button."""
    article = get_article_for_editor(request, pk)
    shown = get_revision_for_editor(article, revision)
    context = {
        "article": article,
        "revision": shown,
        "diff": compare(shown.previous(), shown),
        "is_current": all(
            getattr(article, field) == getattr(shown, field) for field in services.REVISION_FIELDS
        ),
    }
    return render(request, "articles/revision.html", context)


@login_required
@require_POST
def restore_revision(request, pk, revision):
    article = get_article_for_editor(request, pk)
    shown = get_revision_for_editor(article, revision)
    if services.restore_revision(article, shown, by=request.user):
        messages.success(request, _("The revision is restored, as a new revision."))
    else:
        messages.info(request, _("The article already reads as this revision."))
    return redirect("articles:revisions", pk=article.pk)


@login_required
@require_safe
def dashboard(request):
    articles = (
        Article.objects.by_author(request.user)
        .select_related("topic")
        .order_by("-created_at", "-id")
        .defer("body", "body_html")
    )
    context = {
        "page": paginate(request, articles, 20),
        "stats": author_statistics(request.user),
    }
    return render(request, "articles/dashboard.html", context)


@login_required
@require_safe
def following(request):
    articles = (
        Article.objects.published().from_followed_authors(request.user).for_cards().newest_first()
    )
    context = {
        # Following busy authors is a long list: its total is counted at most once a
        # minute (a follow or unfollow counts again at once), and it lists as many
        # pages as a tag does.
        "page": paginate(
            request,
            articles,
            settings.ARTICLES_PER_PAGE,
            count_key=f"following:{request.user.pk}",
            depends=[generations.LISTS, generations.reader(request.user.pk)],
            max_pages=TAG_PAGES,
        ),
        "following_count": request.user.following.count,  # read only on a miss
    }
    # The list is the reader's own: cached for them under what it shows.
    generations.depend_on(generations.PEOPLE)
    return render(request, "articles/following.html", context)


@require_safe
def tag_suggestions(request):
    """Existing tags starting with what the author typed, for the tags field."""
    prefix = normalise_tag(request.GET.get("q", ""))
    names = []
    if len(prefix) >= 2:
        names = list(
            Tag.objects.filter(name__startswith=prefix)
            .order_by("name")
            .values_list("name", flat=True)[:10]
        )
    return JsonResponse({"tags": names})


@require_safe
def robots_txt(request):
    """Crawlers may read everything public; private and action pages are closed to them."""
    lines = [
        "User-agent: *",
        *(
            f"Disallow: {prefix}{path}"
            for prefix in ("/", "/en/")
            for path in (
                "akun/",
                "tulis/",
                "tulisan-saya/",
                "diikuti/",
                "bacaan-saya/",
                "komentar/",
                "laporkan/",
                "laporan-saya/",
                "profil/",
                "admin/",
            )
        ),
        f"Sitemap: {origin.absolute_url(reverse('sitemap_index'))}",
        "",
    ]
    return HttpResponse("\n".join(lines), content_type="text/plain; charset=utf-8")


@login_required
@require_POST
def rate(request, pk):
    """Beri Nilai: give, change (label=...) or withdraw (action=withdraw) a rating."""
    article = get_article_for_reader(request, pk)
    if request.POST.get("action") == "withdraw":
        services.withdraw_rating(article, user=request.user)
        messages.success(request, _("Your rating is withdrawn."))
    else:
        try:
            services.rate_article(article, user=request.user, label=request.POST.get("label", ""))
        except ValidationError as error:
            messages.error(request, error.messages[0])
        else:
            messages.success(request, _("Thank you for rating this article."))
    return redirect(f"{article.get_absolute_url()}#nilai")
