import gc
import os

from django.core.wsgi import get_wsgi_application

os.environ.setdefault("DJANGO_SETTINGS_MODULE", "uptake.settings")
application = get_wsgi_application()

# Everything loaded so far (Django, the URL map, translations) lives as long as the process.
# Freezing it keeps the garbage collector's full passes, which otherwise walk all of it every
# so often in the middle of a request, down to what requests themselves allocate.
gc.freeze()
