from django.conf import settings
from django.contrib import admin
from django.contrib.staticfiles.views import serve
from django.urls import path

admin.site.site_header = "Pet-Friendly – administración"
admin.site.site_title = "Pet-Friendly"
admin.site.index_title = "Administración"
# The wide change lists (a batch has eight counts) need the width more than a second menu.
admin.site.enable_nav_sidebar = False

urlpatterns = [
    path("admin/", admin.site.urls),
    # The admin's CSS and icons, straight from the installed apps, with DEBUG
    # off too: `runserver` serves them only in DEBUG (or with --insecure), and
    # a clinic's small admin needs no collectstatic and web server for them.
    path(settings.STATIC_URL.strip("/") + "/<path:path>", serve, {"insecure": True}),
]
