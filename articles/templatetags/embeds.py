"""The article page's videos (README, "Writing"): the stored marker becomes a
placeholder that loads nothing from the video's site; static/js/embeds.js makes
the player only when the reader presses its button. Without JavaScript the
placeholder is a link to the video."""

import re

from django import template
from django.template.loader import render_to_string
from django.utils.safestring import SafeString, mark_safe

from articles.bodyimages import Video
from articles.sanitizer import VIDEO_MARKER_CLASS

register = template.Library()

# Exactly what the sanitiser writes: its text is escaped text, with no tags.
_MARKER = re.compile(
    rf'<figure class="{VIDEO_MARKER_CLASS}" data-video="(?P<marker>[a-z]+:[A-Za-z0-9_-]+)">'
    r'<a href="[^"]*"[^>]*>(?P<text>[^<]*)</a></figure>'
)


@register.filter(is_safe=True)
def embeds(body_html: str) -> SafeString:
    """Sanitised body HTML with each video marker rendered as its placeholder."""

    def placeholder(match):
        video = Video.from_marker(match["marker"])
        if video is None:
            return match[0]
        text = match["text"]
        context = {
            "video": video,
            # The link's text (escaped by the sanitiser) is the title unless it
            # is the address itself.
            "title": None if text == video.watch_url else mark_safe(text),
        }
        return render_to_string("articles/includes/video.html", context).strip()

    return mark_safe(_MARKER.sub(placeholder, body_html))
