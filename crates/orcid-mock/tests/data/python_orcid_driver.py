"""Drives python-orcid (PyPI `orcid`, ORCID's own Python client, API v2.0)
against the mock: its base URLs are pointed at the mock, then it writes,
reads, updates, searches and deletes as it would on api.orcid.org.
Prints what it saw as one JSON object (crates/orcid-mock/tests/python_orcid.rs).

Usage: python_orcid_driver.py BASE_URL TOKEN ORCID CLIENT_ID CLIENT_SECRET
"""
import json
import sys

import orcid
import requests

base, token, orcid_id, client_id, client_secret = sys.argv[1:6]

api = orcid.MemberAPI(client_id, client_secret, sandbox=True, timeout=10)
api._endpoint = base
api._token_url = base + "/oauth/token"
public = orcid.PublicAPI(client_id, client_secret, sandbox=True, timeout=10)
public._endpoint = base
public._token_url = base + "/oauth/token"

out = {}
work = {
    "title": {"title": {"value": "Written by python-orcid"}},
    "type": "JOURNAL_ARTICLE",
    "external-ids": {"external-id": [{
        "external-id-type": "doi",
        "external-id-value": "10.7/python-orcid",
        "external-id-relationship": "SELF",
    }]},
}
put_code = api.add_record(orcid_id, token, "work", work)
out["put_code"] = put_code

read = api.read_record_member(orcid_id, "work", token, put_code=put_code)
out["title"] = read["title"]["title"]["value"]
out["source_client_uri"] = read["source"]["source-client-id"]["uri"]

# python-orcid sets the put-code as a string; Jackson reads it as a number.
read["title"]["title"]["value"] = "Updated by python-orcid"
try:
    api.update_record(orcid_id, token, "work", read, put_code)
except requests.HTTPError as e:
    sys.exit("update refused: %s" % e.response.text)

works = api.read_record_member(orcid_id, "works", token)
out["works"] = sorted(
    s["title"]["title"]["value"]
    for g in works["group"] for s in g["work-summary"])
out["display_index"] = [
    s["display-index"] for g in works["group"] for s in g["work-summary"]]

bulk = api.read_record_member(orcid_id, "works", token, put_code=[put_code])
out["bulk_titles"] = [b["work"]["title"]["title"]["value"] for b in bulk["bulk"]]

record = api.read_record_member(orcid_id, "record", token)
out["orcid_uri"] = record["orcid-identifier"]["uri"]
out["family_name"] = record["person"]["name"]["family-name"]["value"]

# Public API read and search with a /read-public client token.
search_token = public.get_search_token_from_orcid()
pub = public.read_record_public(orcid_id, "activities", search_token)
out["public_activities_path"] = pub["path"]
found = api.search("family-name:Carberry", access_token=search_token)
out["search_found"] = found["num-found"]
out["search_ids"] = [r["orcid-identifier"]["path"] for r in found["result"]]

api.remove_record(orcid_id, token, "work", put_code)
try:
    api.read_record_member(orcid_id, "work", token, put_code=put_code)
    out["after_delete"] = 200
except requests.HTTPError as e:
    out["after_delete"] = e.response.status_code

try:
    api.read_record_member("0000-0000-0000-0001", "record", token)
except requests.HTTPError as e:
    out["unknown_developer_message"] = e.response.json()["developer-message"]

print(json.dumps(out))
