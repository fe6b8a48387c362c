//! What third-party ORCID clients see (issue 13): ORCID's error wording,
//! headers, `display-index`, `/v2.0/` and `/status`, over HTTP.

mod common;

use common::*;
use orcid_mock::DEMO_ORCID;

#[test]
fn unknown_orcid_has_orcids_developer_message() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let r = api.get("0000-0000-0000-0001/record", JSON);
    assert_eq!(r.status, 404, "{}", r.body);
    let v = r.json();
    assert_eq!(v["error-code"], 9016);
    assert_eq!(
        v["developer-message"],
        "404 Not Found: The resource was not found. Full validation error: ORCID iD 0000-0000-0000-0001 not found"
    );
    assert_eq!(v["user-message"], "The resource was not found.");
    // The same in v3.0.
    let r3 = Api::v3(&server, &api.token).get("0000-0000-0000-0001/works", JSON);
    assert_eq!(r3.status, 404, "{}", r3.body);
    assert!(r3.json()["developer-message"]
        .as_str()
        .unwrap()
        .ends_with("Full validation error: ORCID iD 0000-0000-0000-0001 not found"));
}

#[test]
fn rule_errors_use_orcids_form_without_rule_ids() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    // An external-id type ORCID does not know: a rule finding (not a read
    // error), answered with ORCID's code and words, no rule id.
    let body = work_json("10.9/rule").replace("\"doi\"", "\"not-a-known-type\"");
    let r = api.post(&format!("{DEMO_ORCID}/work"), JSON, &body);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_ne!(r.error_code(), Some(9047), "{}", r.body);
    assert_ne!(r.error_code(), Some(9001), "{}", r.body);
    let dev = r.json()["developer-message"].as_str().unwrap().to_string();
    assert!(dev.starts_with("400 Bad Request: "), "{dev}");
    assert!(!dev.contains("orcid."), "a rule id leaked: {dev}");
}

#[test]
fn content_types_carry_orcids_qs_and_charset() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let x = api.get(&format!("{DEMO_ORCID}/record"), XML);
    assert_eq!(x.status, 200);
    assert_eq!(x.header("content-type"), Some(XML_CT));
    let j = api.get(&format!("{DEMO_ORCID}/record"), JSON);
    assert_eq!(j.header("content-type"), Some(JSON_CT));
    let o = api.get(&format!("{DEMO_ORCID}/record"), "application/orcid+json");
    assert_eq!(
        o.header("content-type"),
        Some("application/orcid+json; qs=2;charset=UTF-8")
    );
    // Errors too.
    let e = api.get("0000-0000-0000-0001/record", XML);
    assert_eq!(e.header("content-type"), Some(XML_CT));
}

#[test]
fn created_and_deleted_carry_no_cache_headers() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let c = api.post(&format!("{DEMO_ORCID}/work"), JSON, &work_json("10.9/hdr"));
    assert_eq!(c.status, 201, "{}", c.body);
    let d = api.delete(&format!("{DEMO_ORCID}/work/{}", c.put_code()));
    assert_eq!(d.status, 204);
    for r in [&c, &d] {
        assert_eq!(
            r.header("cache-control"),
            Some("no-cache, no-store, max-age=0, must-revalidate")
        );
        assert_eq!(r.header("pragma"), Some("no-cache"));
        assert_eq!(r.header("expires"), Some("0"));
        assert_eq!(r.header("access-control-allow-origin"), Some("*"));
    }
}

#[test]
fn display_index_is_sent_as_orcid_types_it() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let w = api.post(&format!("{DEMO_ORCID}/work"), JSON, &work_json("10.9/di"));
    assert_eq!(w.status, 201, "{}", w.body);
    let k = api.post(
        &format!("{DEMO_ORCID}/keywords"),
        JSON,
        r#"{"content":"display index"}"#,
    );
    assert_eq!(k.status, 201, "{}", k.body);

    // Activity summaries: a string; person items: a number (0 for API writes).
    let works = api.get(&format!("{DEMO_ORCID}/works"), JSON).json();
    let summary = &works["group"][0]["work-summary"][0];
    assert_eq!(summary["display-index"], "0", "{works}");
    let kw = api
        .get(&format!("{DEMO_ORCID}/keywords/{}", k.put_code()), JSON)
        .json();
    assert_eq!(kw["display-index"], 0, "{kw}");
    // XML: the attribute.
    let x = api.get(&format!("{DEMO_ORCID}/works"), XML);
    assert!(x.body.contains("display-index=\"0\""), "{}", x.body);
    // v3.0 sees it too.
    let v3 = Api::v3(&server, &api.token)
        .get(&format!("{DEMO_ORCID}/works"), JSON)
        .json();
    assert_eq!(v3["group"][0]["work-summary"][0]["display-index"], "0");
}

#[test]
fn v2_0_is_served_with_http_orcid_uris() {
    let server = start();
    let token = demo_token(&server);
    let api = Api {
        version: "v2.0",
        ..Api::new(&server, &token)
    };
    let r = api.get(&format!("{DEMO_ORCID}/record"), JSON);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["orcid-identifier"]["uri"],
        format!("http://orcid.org/{DEMO_ORCID}")
    );
    let x = api.get(&format!("{DEMO_ORCID}/record"), XML);
    assert!(
        x.body.contains(&format!(
            "<common:uri>http://orcid.org/{DEMO_ORCID}</common:uri>"
        )),
        "{}",
        x.body
    );
    // v2.1 keeps https.
    let r21 = Api::new(&server, &token).get(&format!("{DEMO_ORCID}/record"), JSON);
    assert_eq!(
        r21.json()["orcid-identifier"]["uri"],
        format!("https://orcid.org/{DEMO_ORCID}")
    );
    // Writes: Location under /v2.0/, the item readable there.
    let c = api.post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.9/v20"));
    assert_eq!(c.status, 201, "{}", c.body);
    let pc = c.put_code();
    assert_eq!(
        c.header("location").unwrap(),
        format!("{}/v2.0/{DEMO_ORCID}/work/{pc}", server.base_url())
    );
    let g = api.get(&format!("{DEMO_ORCID}/work/{pc}"), JSON);
    assert_eq!(g.status, 200, "{}", g.body);
    let uri = g.json()["source"]["source-client-id"]["uri"].clone();
    assert!(uri.as_str().unwrap().starts_with("http://"), "{uri}");
}

#[test]
fn status_answers_without_a_token() {
    let server = start();
    for path in ["/status", "/v2.0/status", "/v2.1/status", "/v3.0/status"] {
        let r = read(agent().get(&format!("{}{path}", server.base_url())).call());
        assert_eq!(r.status, 200, "{path}");
        assert_eq!(r.body, "OK I am here", "{path}");
        assert!(r.header("content-type").unwrap().starts_with("text/plain"));
    }
}

#[test]
fn json_numbers_for_text_are_accepted_as_jackson_coerces_them() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let funding = r#"{"type": "GRANT", "title": {"title": {"value": "Numbers"}},
        "amount": {"value": 1000, "currency-code": "USD"},
        "start-date": {"year": {"value": 2020}, "month": {"value": 3}},
        "external-ids": {"external-id": [{"external-id-type": "grant_number",
            "external-id-value": 4711, "external-id-relationship": "SELF"}]},
        "organization": {"name": "Org", "address": {"city": "Auckland", "country": "NZ"},
            "disambiguated-organization": {"disambiguated-organization-identifier": "385488",
                "disambiguation-source": "RINGGOLD"}}}"#;
    let r = api.post(&format!("{DEMO_ORCID}/funding"), JSON, funding);
    assert_eq!(r.status, 201, "{}", r.body);
    let g = api.get(&format!("{DEMO_ORCID}/funding/{}", r.put_code()), JSON);
    let v = g.json();
    assert_eq!(v["amount"]["value"], "1000", "{v}");
    assert_eq!(v["start-date"]["month"]["value"], "03", "{v}");
    assert_eq!(
        v["external-ids"]["external-id"][0]["external-id-value"],
        "4711"
    );
}

#[test]
fn work_summaries_drop_the_subtitle() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let body = work_json("10.9/sub").replace(
        r#""title": { "value": "A JSON work" }"#,
        r#""title": { "value": "A JSON work" }, "subtitle": { "value": "Sub" }"#,
    );
    assert!(body.contains("Sub"), "{body}");
    let r = api.post(&format!("{DEMO_ORCID}/work"), JSON, &body);
    assert_eq!(r.status, 201, "{}", r.body);
    let pc = r.put_code();
    let full = api.get(&format!("{DEMO_ORCID}/work/{pc}"), JSON).json();
    assert_eq!(full["title"]["subtitle"]["value"], "Sub", "{full}");
    for api in [Api::new(&server, &api.token), Api::v3(&server, &api.token)] {
        let s = api
            .get(&format!("{DEMO_ORCID}/work/summary/{pc}"), JSON)
            .json();
        assert_eq!(s["title"]["title"]["value"], "A JSON work", "{s}");
        assert!(s["title"]["subtitle"].is_null(), "{s}");
    }
}
