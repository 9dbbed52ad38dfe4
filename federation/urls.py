from django.urls import path

from . import views

app_name = "federation"

# Outside the language prefixes: ids and discovery are the same in every language.
urlpatterns = [
    path(".well-known/webfinger", views.webfinger, name="webfinger"),
    path(".well-known/host-meta", views.host_meta, name="host_meta"),
    path(".well-known/nodeinfo", views.nodeinfo_links, name="nodeinfo_links"),
    path("nodeinfo/2.1", views.nodeinfo, name="nodeinfo"),
    path("ap/inbox", views.shared_inbox, name="inbox"),
    path("ap/site", views.application, name="application"),
    path("ap/site/inbox", views.application_inbox, name="application_inbox"),
    path("ap/site/outbox", views.application_outbox, name="application_outbox"),
    path("ap/users/<str:username>", views.person, name="person"),
    path("ap/users/<str:username>/inbox", views.person_inbox, name="person_inbox"),
    path("ap/users/<str:username>/outbox", views.person_outbox, name="person_outbox"),
    path("ap/users/<str:username>/followers", views.person_followers, name="person_followers"),
    path("ap/users/<str:username>/following", views.following, name="person_following"),
    path("ap/topics/<slug:slug>", views.group, name="group"),
    path("ap/topics/<slug:slug>/inbox", views.group_inbox, name="group_inbox"),
    path("ap/topics/<slug:slug>/outbox", views.group_outbox, name="group_outbox"),
    path("ap/topics/<slug:slug>/followers", views.group_followers, name="group_followers"),
    path("ap/topics/<slug:slug>/following", views.following, name="group_following"),
    path("ap/articles/<int:pk>", views.article, name="article"),
]
