#!/usr/bin/env python
import os
import sys

if __name__ == "__main__":
    os.environ.setdefault("DJANGO_SETTINGS_MODULE", "blogplatform.settings")
    # manage.py is the developer's tool: it runs with DEBUG on unless the
    # environment says otherwise. Production sets DEBUG=false explicitly and
    # serves through gunicorn (blogplatform.wsgi), where DEBUG is off unless set.
    os.environ.setdefault("DEBUG", "true")
    from django.core.management import execute_from_command_line

    execute_from_command_line(sys.argv)
