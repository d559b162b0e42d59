"""A stock django-oscar 4.2 shop: the baseline `make bench` measures Karya against.

Oscar's default apps, templates, URLs and settings (see settings.py for the few changes a
shop that sells needs), on the same PostgreSQL, Redis, gunicorn workers and catalogue as
Karya. Setting it up, from the repository root, with DATABASE_URL pointing at an empty
database and MEDIA_ROOT at Karya's media folder:

    export PYTHONPATH=. DJANGO_SETTINGS_MODULE=tests.benchmarks.oscar_baseline.settings
    .venv/bin/django-admin migrate --noinput
    DJANGO_SETTINGS_MODULE=shop.settings.dev DATABASE_URL=<Karya's> \\
        .venv/bin/python -m tests.benchmarks.export_catalog catalog.json
    .venv/bin/django-admin load_karya_catalog catalog.json --domain 127.0.0.1:PORT
    .venv/bin/gunicorn -w 2 -b 127.0.0.1:PORT tests.benchmarks.oscar_baseline.wsgi:application
    .venv/bin/django-admin bench_set_stock UPC 500      # between rounds

Set BASELINE_WHOOSH_PATH to the same folder for the loader and for gunicorn: the catalogue
pages are read from that Whoosh index.

A guest order in the stock shop, request by request (one cookie jar per buyer; TOKEN is
the csrftoken cookie's value, which the first GET sets; every POST also sends a Referer of
the same origin, which Django's CSRF check does not need over plain HTTP but a browser
sends). Product URLs are /catalogue/<slug>_<pk>/; PK is the product's primary key in the
baseline database (look it up by UPC).

 1. GET  /catalogue/<slug>_<PK>/                                  200, sets csrftoken
 2. POST /basket/add/<PK>/   csrfmiddlewaretoken=TOKEN quantity=1  302 to the product page;
                                                                  sets oscar_open_basket
 3. GET  /checkout/                                               200, the gateway form
 4. POST /checkout/          csrfmiddlewaretoken=TOKEN username=<email> options=anonymous
                                                                  302 /checkout/shipping-address/
 5. GET  /checkout/shipping-address/                              200
 6. POST /checkout/shipping-address/  csrfmiddlewaretoken=TOKEN first_name=Sari
         last_name=Wulandari line1=Jl. Merdeka No. 1 line4=Tangerang state=Banten
         postcode=15111 phone_number=+6281234567890              302 /checkout/shipping-method/
         (no country field: Indonesia is the only shipping country, so Oscar drops it;
         postcode must be 5 digits, Oscar's rule for ID)
 7. GET  /checkout/shipping-method/     302 /checkout/payment-method/ (one method: free)
 8. GET  /checkout/payment-method/      302 /checkout/payment-details/ (no choice to make)
 9. GET  /checkout/payment-details/     200 (a "Continue" link to the preview)
10. GET  /checkout/preview/             200, form id=place_order_form
11. POST /checkout/preview/  csrfmiddlewaretoken=TOKEN action=place_order
                                                                  302 /checkout/thank-you/
12. GET  /checkout/thank-you/           200, "your order number is <strong>100001</strong>"

The order allocates its units (num_allocated + 1); bench_set_stock puts them back. A 200
instead of the 302 at step 11 is Oscar's error page for a failed placement (out of stock,
or mail that could not be sent): count it as an error, not an order.
"""
