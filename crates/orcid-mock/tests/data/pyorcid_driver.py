"""Drives pyorcid against the ORCID mock and prints what it read as JSON.

Usage: python pyorcid_driver.py BASE_URL ACCESS_TOKEN ORCID

pyorcid calls https://api.orcid.org/v3.0/... directly; a shim on
requests sends those calls to BASE_URL instead. pyorcid sends no Accept
header (requests' `*/*`) and `Content-Type: application/json`, and parses
the answer as JSON. The mock answers a wildcard Accept with XML, as ORCID
is documented to (docs/orcid-api.md, content negotiation), so the shim
also asks for `application/vnd.orcid+json`, which pyorcid means.
"""

import json
import sys
from urllib.parse import urlsplit

import requests

BASE, TOKEN, ORCID = sys.argv[1], sys.argv[2], sys.argv[3]

_request = requests.Session.request


def to_mock(self, method, url, *args, **kwargs):
    parts = urlsplit(url)
    if parts.hostname and parts.hostname.endswith("orcid.org"):
        url = BASE + parts.path + ("?" + parts.query if parts.query else "")
        headers = dict(kwargs.pop("headers", None) or {})
        headers.setdefault("Accept", "application/vnd.orcid+json")
        kwargs["headers"] = headers
    return _request(self, method, url, *args, **kwargs)


requests.Session.request = to_mock

from pyorcid import Orcid, OrcidSearch  # noqa: E402

orcid = Orcid(ORCID, TOKEN, state="member")
summary = orcid.record_summary()
keywords, _ = orcid.keywords()
research_resources = orcid.research_resources()
peer_reviews = orcid.peer_reviews()
search = OrcidSearch(TOKEN, state="member")
expanded = search.search("family-name:Carberry", search_mode="expanded-search")
plain = search.search("*:*", rows=1, search_mode="search")

print(json.dumps({
    "name": summary.get("Name"),
    "family_name": summary.get("Family Name"),
    "keywords": keywords,
    "works": [w["title"] for w in summary.get("Works", [])],
    "work_types": [w["type"] for w in summary.get("Works", [])],
    "employments": [e["Role"] for e in summary.get("Employment", [])],
    "educations": [e["Role"] for e in summary.get("Education", [])],
    "qualifications": [e["Role"] for e in summary.get("Quaifications", [])],
    "distinctions": [e["Role"] for e in summary.get("Distinctions", [])],
    "invited_positions": [e["Role"] for e in summary.get("Invited Positions", [])],
    "memberships": [e["Role"] for e in summary.get("Memberships", [])],
    "services": [e["Role"] for e in summary.get("Service", [])],
    "organizations": sorted({e["organization"] for e in summary.get("Employment", [])}),
    "research_resource_groups": len(research_resources.get("group", [])),
    "peer_review_groups": len(peer_reviews.get("group", [])),
    "expanded_ids": [r["orcid-id"] for r in expanded.get("expanded-result", [])],
    "search_found": plain.get("num-found"),
    "search_page": len(plain.get("result", [])),
}))
