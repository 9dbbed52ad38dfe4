from datetime import datetime

from django import forms
from django.conf import settings
from django.core.exceptions import ValidationError
from django.urls import reverse_lazy
from django.utils.translation import gettext_lazy as _
from django_prose_editor.fields import ProseEditorFormField

from accounts.images import open_image

from .models import CORRECTION_NOTE_CHARS, SERIES_TITLE_CHARS, WIB, Article, Topic
from .sanitizer import html_to_text, sanitize_html
from .services import normalise_tag

# What the editor offers. The sanitiser (articles.sanitizer) is the authority on
# what is stored whatever the browser sends; this only shapes the toolbar.
EDITOR_EXTENSIONS = {
    "Heading": {"levels": [2, 3]},
    "Bold": True,
    "Italic": True,
    "Underline": True,
    "Strike": True,
    "Link": {"enableTarget": False, "protocols": ["http", "https", "mailto"]},
    "BulletList": True,
    "OrderedList": True,
    "ListItem": True,
    "Blockquote": True,
    "HorizontalRule": True,  # the page break: every <hr> starts a new page
    "Figure": True,
    "Caption": True,
    "Image": True,
    "HardBreak": True,
    # Tables and code keep their structure (the sanitiser allows table, thead,
    # tbody, tr, th and td with colspan and rowspan, and pre and code).
    "Table": True,
    "TableRow": True,
    "TableHeader": True,
    "TableCell": True,
    "CodeBlock": True,
    "History": True,
    # The browser's spellchecker stays on (django-prose-editor turns it off by
    # default); static/js/editor-i18n.js marks the text Indonesian.
    "NoSpellCheck": False,
}


class TopicChoiceField(forms.ModelChoiceField):
    def label_from_instance(self, topic):
        return f"{topic.parent.name} / {topic.name}" if topic.parent_id else topic.name


class ArticleForm(forms.ModelForm):
    """The author's form. Only these fields can change; status, author, times and
    counters are not fields here, so extra POST data cannot touch them."""

    topic = TopicChoiceField(
        label=_("Topic"),
        queryset=Topic.objects.select_related("parent").order_by(
            "parent__position", "parent__name", "position", "name"
        ),
        empty_label=_("Choose a topic"),
        error_messages={"required": _("Choose the topic this article belongs to.")},
    )
    body = ProseEditorFormField(
        label=_("Article"),
        required=False,
        config={"extensions": EDITOR_EXTENSIONS},
        help_text=_("Use the horizontal line button to start a new page."),
    )
    tags = forms.CharField(
        label=_("Tags"),
        required=False,
        max_length=600,
        widget=forms.TextInput(
            attrs={
                "list": "tag-suggestions",
                "autocomplete": "off",
                "data-suggest-url": reverse_lazy("articles:tag_suggestions"),
            }
        ),
        help_text=_("Separate tags with commas, for example: pendidikan, kebijakan publik."),
    )
    cover_upload = forms.FileField(
        label=_("Cover image"),
        required=False,
        help_text=_("JPEG, PNG, WebP or GIF, at most 8 MB."),
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    remove_cover = forms.BooleanField(label=_("Remove the cover image"), required=False)
    series_title = forms.CharField(
        label=_("Series"),
        required=False,
        max_length=SERIES_TITLE_CHARS,
        widget=forms.TextInput(attrs={"list": "series-choices", "autocomplete": "off"}),
        help_text=_(
            "Optional: the name of a series of your articles. A new article joins at its end."
        ),
    )
    # Used only with the "Publish as a correction" button (README, "Writing").
    correction_note = forms.CharField(
        label=_("Correction note"),
        required=False,
        max_length=CORRECTION_NOTE_CHARS,
        widget=forms.Textarea(attrs={"rows": 2}),
        help_text=_(
            "What was wrong and what is right, shown to readers with its date. "
            "Leave it empty for a silent edit (shown as updated)."
        ),
    )

    # Used only with the "Schedule" button: a date and time in WIB, whatever the
    # browser's own time zone (README, "Writing").
    schedule_date = forms.DateField(
        label=_("Publication date"),
        required=False,
        widget=forms.DateInput(attrs={"type": "date"}, format="%Y-%m-%d"),
    )
    schedule_time = forms.TimeField(
        label=_("Time (WIB)"),
        required=False,
        widget=forms.TimeInput(attrs={"type": "time"}, format="%H:%M"),
    )

    class Meta:
        model = Article
        fields = ["title", "topic", "excerpt", "body", "cover_caption", "cover_credit"]
        widgets = {"excerpt": forms.Textarea(attrs={"rows": 3})}
        help_texts = {
            "excerpt": _("One or two sentences shown in lists. Optional."),
            "cover_credit": _("Where the image comes from, e.g. Dokumentasi pribadi."),
        }
        error_messages = {"title": {"required": _("Give the article a title.")}}

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        if self.instance.pk and "tags" not in self.initial:
            self.initial["tags"] = ", ".join(tag.name for tag in self.instance.tags.all())
        if self.instance.series_id is not None:
            self.initial.setdefault("series_title", self.instance.series.title)
        if self.instance.scheduled_at is not None:
            local = self.instance.scheduled_at.astimezone(WIB)
            self.initial.setdefault("schedule_date", local.date())
            self.initial.setdefault("schedule_time", local.time())

    def clean_title(self):
        title = " ".join(self.cleaned_data["title"].split())
        if not title:
            raise ValidationError(_("Give the article a title."), code="required")
        return title

    def clean_series_title(self):
        return " ".join(self.cleaned_data["series_title"].split())

    def clean_tags(self):
        names = []
        for raw in self.cleaned_data["tags"].split(","):
            name = normalise_tag(raw)
            if name and name not in names:
                names.append(name)
        if len(names) > settings.MAX_TAGS_PER_ARTICLE:
            raise ValidationError(
                _("Use at most %(limit)s tags.") % {"limit": settings.MAX_TAGS_PER_ARTICLE},
                code="too_many_tags",
            )
        return names

    def clean_cover_upload(self):
        upload = self.cleaned_data.get("cover_upload")
        if upload:
            open_image(upload)  # raises a translated ValidationError
        return upload

    def clean(self):
        cleaned = super().clean()
        body_html = sanitize_html(cleaned.get("body") or "")
        has_content = html_to_text(body_html) or "<img" in body_html
        if self.data.get("action") in ("publish", "schedule") and not has_content:
            self.add_error("body", _("Write the article before publishing it."))
        if self.data.get("action") == "correct" and not cleaned.get("correction_note", "").strip():
            self.add_error("correction_note", _("Say what was wrong and what is right."))
        if self.data.get("action") == "schedule":
            day, time = cleaned.get("schedule_date"), cleaned.get("schedule_time")
            if day is None or time is None:
                self.add_error("schedule_date", _("Choose the date and time to publish."))
            else:
                cleaned["scheduled_for"] = datetime.combine(day, time, tzinfo=WIB)
        return cleaned


class BodyImageForm(forms.Form):
    """A photo for the article's body (articles.services.upload_body_image
    validates the file and stores it)."""

    image = forms.FileField(
        label=_("Photo"),
        help_text=_("JPEG, PNG, WebP or GIF, at most 8 MB. Camera and location data are removed."),
        error_messages={"required": _("Choose a photo to upload.")},
        widget=forms.ClearableFileInput(
            attrs={"accept": "image/jpeg,image/png,image/webp,image/gif"}
        ),
    )
    alt = forms.CharField(
        label=_("Alternative text"),
        max_length=300,
        help_text=_("What the photo shows, for readers who cannot see it."),
        error_messages={
            "required": _("Describe the photo for readers who cannot see it (alternative text).")
        },
    )
    caption = forms.CharField(label=_("Caption"), required=False, max_length=300)
