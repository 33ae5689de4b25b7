#!/bin/sh
curl -fsS -H "Authorization: Basic c3ZjLWV4cG9ydDpTRjdsMWQ3QzVZVzJnQ2VqUFcxNw==" https://erp.acme.dev/api/v2/invoices
curl -fsS -H "Authorization: Bearer fiqlkOMfeMkrVwtHL8HQ_g7mMs4OwVtJ0PpD8xNgwdfa-32z" https://api.acme.dev/v1/me
