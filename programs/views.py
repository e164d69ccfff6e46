from django.shortcuts import render


def index(request):
    return render(request, "programs/index.html")


def certificate_verify(request, code):
    from django.http import Http404

    raise Http404
