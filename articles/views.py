from django.conf import settings
from django.contrib.auth import get_user_model
from django.http import Http404
from django.shortcuts import get_object_or_404, redirect, render
from django.views.decorators.http import require_safe
from taggit.models import Tag

from accounts.models import Follow

from .access import can_see_unpublished, get_article_for_reader
from .models import Article, Topic
from .pagination import paginate
from .services import record_view

SIDEBAR_SIZE = 5
RELATED_SIZE = 4


@require_safe
def home(request):
    published = Article.objects.published().for_cards()
    page = paginate(request, published.latest(), settings.ARTICLES_PER_PAGE)
    context = {
        "page": page,
        "headline": published.filter(is_headline=True).latest().first()
        if page.number == 1
        else None,
        "picks": published.filter(is_pick=True).latest()[:SIDEBAR_SIZE],
        "most_viewed": published.most_viewed()[:SIDEBAR_SIZE],
    }
    return render(request, "articles/home.html", context)


@require_safe
def topic(request, slug):
    topic = get_object_or_404(Topic.objects.select_related("parent"), slug=slug)
    articles = Article.objects.published().in_topic(topic).for_cards().latest()
    context = {
        "topic": topic,
        "children": topic.children.all(),
        "page": paginate(request, articles, settings.ARTICLES_PER_PAGE),
    }
    return render(request, "articles/topic.html", context)


@require_safe
def tag(request, slug):
    tag = get_object_or_404(Tag, slug=slug)
    articles = Article.objects.published().filter(tags=tag).for_cards().latest()
    context = {"tag": tag, "page": paginate(request, articles, settings.ARTICLES_PER_PAGE)}
    return render(request, "articles/tag.html", context)


@require_safe
def author(request, username):
    # The author's public page lists their articles, so it lives here rather
    # than in accounts (accounts never imports articles).
    person = get_object_or_404(get_user_model(), username=username, is_active=True)
    articles = person.articles.published().for_cards().latest()
    context = {
        "person": person,
        "page": paginate(request, articles, settings.ARTICLES_PER_PAGE),
        "follower_count": person.followers.count(),
        "is_following": _is_following(request, person),
    }
    return render(request, "articles/author.html", context)


def _is_following(request, person) -> bool:
    user = request.user
    return (
        user.is_authenticated
        and user.pk != person.pk
        and Follow.objects.filter(follower=user, author=person).exists()
    )


def _render_article(request, article, *, page_number=None):
    if article.status == Article.Status.HIDDEN and not can_see_unpublished(request, article):
        return render(request, "articles/hidden.html", {"article": article}, status=410)
    pages = article.pages()
    show_all = page_number is None
    if not show_all and page_number > len(pages):
        raise Http404
    record_view(article, request)
    related = (
        Article.objects.published()
        .filter(topic=article.topic_id)
        .exclude(pk=article.pk)
        .for_cards()
        .latest()[:RELATED_SIZE]
    )
    context = {
        "article": article,
        "pages": pages,
        "page_count": len(pages),
        "page_number": page_number,
        "page_numbers": range(1, len(pages) + 1),
        "body_html": "".join(pages) if show_all else pages[page_number - 1],
        "show_all": show_all and len(pages) > 1,
        "related": related,
        "is_following": _is_following(request, article.author),
    }
    return render(request, "articles/detail.html", context)


@require_safe
def detail(request, pk, slug):
    article = get_article_for_reader(request, pk)
    if slug != article.slug:
        return redirect(article.get_absolute_url(), permanent=True)
    return _render_article(request, article, page_number=1)


@require_safe
def page(request, pk, slug, page):
    if page < 1:
        raise Http404
    article = get_article_for_reader(request, pk)
    if slug != article.slug or page == 1:
        return redirect(article.get_page_url(page), permanent=True)
    return _render_article(request, article, page_number=page)


@require_safe
def all_pages(request, pk, slug):
    article = get_article_for_reader(request, pk)
    if slug != article.slug:
        return redirect(article.get_all_pages_url(), permanent=True)
    return _render_article(request, article)
