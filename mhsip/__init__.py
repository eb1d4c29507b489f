"""mhsip: software for England's Mental Health Safety Improvement Programme.

The pure analytical core (mhsip.spc and friends) imports no Django; the Django project lives in
mhsip.config (settings, URLs, WSGI) and the apps beside it, such as mhsip.web.
"""
