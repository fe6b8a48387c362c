//! Member API v3.0 beside v2.1 over one record store: the v3-only
//! sections, both formats, the grouped reads (valid under the 3.0 XSDs),
//! items written in one version and read or updated in the other, and
//! ORCID's codes.

mod common;

use common::*;
use orcid_mock::DEMO_ORCID;
use orcid_test_kit::payloads::affiliation;

/// The five professional-activity sections and v3.0's own affiliations.
const V3_ONLY_AFFILIATIONS: &[&str] = &[
    "distinction",
    "invited-position",
    "membership",
    "qualification",
    "service",
];

#[test]
fn every_v3_only_affiliation_section_round_trips() {
    let server = start();
    let api = Api::v3(&server, &demo_token(&server));
    let v2 = Api::new(&server, &api.token);
    for (i, t) in V3_ONLY_AFFILIATIONS.iter().enumerate() {
        let id = format!("G-{i}");
        let body = affiliation(t, &id, "Chair");
        let r = api.post(&format!("{DEMO_ORCID}/{t}"), XML, &body);
        assert_eq!(r.status, 201, "{t}: {}", r.body);
        let pc = r.put_code();
        assert_eq!(
            r.header("location").unwrap(),
            format!("{}/v3.0/{DEMO_ORCID}/{t}/{pc}", server.base_url()),
            "{t}"
        );
        // The same external id again from the same source: 409/9021.
        let dup = api.post(&format!("{DEMO_ORCID}/{t}"), XML, &body);
        assert_eq!(dup.status, 409, "{t}: {}", dup.body);
        assert_eq!(dup.error_code(), Some(9021), "{t}");

        let g = api.get(&format!("{DEMO_ORCID}/{t}/{pc}"), XML);
        assert_eq!(g.status, 200, "{t}: {}", g.body);
        assert!(g.body.contains(&format!("put-code=\"{pc}\"")), "{}", g.body);
        assert_valid_v3(&g.body);

        let u = api.put(
            &format!("{DEMO_ORCID}/{t}/{pc}"),
            XML,
            &with_put_code(&affiliation(t, &id, "Vice Chair"), pc),
        );
        assert_eq!(u.status, 200, "{t}: {}", u.body);
        assert!(u.body.contains("Vice Chair"), "{}", u.body);

        // Read back grouped: one affiliation-group with the item's ids.
        let list = api.get(&format!("{DEMO_ORCID}/{t}s"), XML);
        assert_eq!(list.status, 200, "{t}: {}", list.body);
        assert!(
            list.body.contains("<activities:affiliation-group>"),
            "{}",
            list.body
        );
        assert!(
            list.body.contains(&format!("<{t}:{t}-summary")),
            "{}",
            list.body
        );
        assert!(list.body.contains("Vice Chair"), "{}", list.body);
        assert_valid_v3(&list.body);
        let s = api.get(&format!("{DEMO_ORCID}/{t}/summary/{pc}"), XML);
        assert_eq!(s.status, 200, "{t}: {}", s.body);
        assert_valid_v3(&s.body);

        // v2.1 readers do not see v3-only sections.
        let hidden = v2.get(&format!("{DEMO_ORCID}/{t}/{pc}"), XML);
        assert_eq!(hidden.status, 404, "{t}: {}", hidden.body);
        let acts = v2.get(&format!("{DEMO_ORCID}/activities"), XML);
        assert_eq!(acts.status, 200);
        assert!(
            !acts.body.contains(&format!("put-code=\"{pc}\"")),
            "{}",
            acts.body
        );

        let d = api.delete(&format!("{DEMO_ORCID}/{t}/{pc}"));
        assert_eq!(d.status, 204, "{t}: {}", d.body);
        let gone = api.get(&format!("{DEMO_ORCID}/{t}/{pc}"), XML);
        assert_eq!(gone.status, 404);
        assert_eq!(gone.error_code(), Some(9016));
    }
}

#[test]
fn affiliation_in_json_with_v3_spellings() {
    let server = start();
    let api = Api::v3(&server, &demo_token(&server));
    let xml = affiliation("qualification", "Q-1", "Fellow");
    let json = orcid_model::v3_0::Document::from_xml(&xml)
        .unwrap()
        .to_json(false)
        .unwrap();
    let r = api.post(&format!("{DEMO_ORCID}/qualification"), JSON, &json);
    assert_eq!(r.status, 201, "{}", r.body);
    let pc = r.put_code();
    let g = api.get(&format!("{DEMO_ORCID}/qualification/{pc}"), JSON);
    assert_eq!(g.status, 200, "{}", g.body);
    assert_eq!(g.header("content-type"), Some(JSON_CT));
    let v = g.json();
    assert_eq!(v["put-code"].as_i64(), Some(pc));
    // v3.0 writes enums in lower case (v2.1: "LIMITED", "SELF").
    assert_eq!(v["visibility"].as_str(), Some("limited"), "{v}");
    assert_eq!(
        v["external-ids"]["external-id"][0]["external-id-relationship"].as_str(),
        Some("self"),
        "{v}"
    );
    let list = api.get(&format!("{DEMO_ORCID}/qualifications"), JSON);
    assert_eq!(list.status, 200, "{}", list.body);
    let group = &list.json()["affiliation-group"][0];
    assert_eq!(
        group["summaries"][0]["qualification-summary"]["put-code"].as_i64(),
        Some(pc),
        "{}",
        list.body
    );
}

#[test]
fn research_resources_use_the_affiliations_scopes() {
    let server = start();
    let api = Api::v3(&server, &demo_token(&server));
    let body = research_resource("P-1", "Giant Laser Award");
    let r = api.post(&format!("{DEMO_ORCID}/research-resource"), XML, &body);
    assert_eq!(r.status, 201, "{}", r.body);
    let pc = r.put_code();
    assert!(r
        .header("location")
        .unwrap()
        .ends_with(&format!("/v3.0/{DEMO_ORCID}/research-resource/{pc}")));
    let dup = api.post(&format!("{DEMO_ORCID}/research-resource"), XML, &body);
    assert_eq!(dup.status, 409, "{}", dup.body);
    assert_eq!(dup.error_code(), Some(9021));
    let u = api.put(
        &format!("{DEMO_ORCID}/research-resource/{pc}"),
        XML,
        &with_put_code(&research_resource("P-1", "Giant Laser Award II"), pc),
    );
    assert_eq!(u.status, 200, "{}", u.body);
    let list = api.get(&format!("{DEMO_ORCID}/research-resources"), XML);
    assert_eq!(list.status, 200);
    assert!(list.body.contains("Giant Laser Award II"), "{}", list.body);
    assert!(list.body.contains("<activities:group>"), "{}", list.body);
    assert_valid_v3(&list.body);
    let s = api.get(&format!("{DEMO_ORCID}/research-resource/summary/{pc}"), XML);
    assert_eq!(s.status, 200, "{}", s.body);
    assert_valid_v3(&s.body);

    // Works scopes only: 403/9038 on a research resource.
    let works_only = user_token(
        &server,
        orcid_mock::DEMO_CLIENT_ID,
        "/orcid-works/create /orcid-works/update",
        "",
    );
    let w = Api::v3(&server, &works_only);
    let denied = w.post(
        &format!("{DEMO_ORCID}/research-resource"),
        XML,
        &research_resource("P-2", "Other"),
    );
    assert_eq!(denied.status, 403, "{}", denied.body);
    assert_eq!(denied.error_code(), Some(9038));
    let denied = w.delete(&format!("{DEMO_ORCID}/research-resource/{pc}"));
    assert_eq!(denied.status, 403);
    assert_eq!(denied.error_code(), Some(9038));

    let d = api.delete(&format!("{DEMO_ORCID}/research-resource/{pc}"));
    assert_eq!(d.status, 204, "{}", d.body);
}

#[test]
fn a_v2_write_is_read_and_updated_in_v3_and_back() {
    let server = start();
    let token = demo_token(&server);
    let v2 = Api::new(&server, &token);
    let v3 = Api::v3(&server, &token);
    let r = v2.post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.1/cross"));
    assert_eq!(r.status, 201, "{}", r.body);
    let pc = r.put_code();

    // Read in v3.0: the same put-code, a valid v3.0 work.
    let g = v3.get(&format!("{DEMO_ORCID}/work/{pc}"), XML);
    assert_eq!(g.status, 200, "{}", g.body);
    assert!(g.body.contains("Field Notes on Persistent Identifiers"));
    assert_valid_v3(&g.body);
    let works = v3.get(&format!("{DEMO_ORCID}/works"), XML);
    assert!(
        works.body.contains(&format!("put-code=\"{pc}\"")),
        "{}",
        works.body
    );
    assert_valid_v3(&works.body);

    // Updated in v3.0 with a v3-only work type: v2.1 shows it as `other`.
    let u = v3.put(
        &format!("{DEMO_ORCID}/work/{pc}"),
        XML,
        &with_put_code(&work3("Preprinted Notes", "preprint", "10.1/cross"), pc),
    );
    assert_eq!(u.status, 200, "{}", u.body);
    assert!(
        u.body.contains("<work:type>preprint</work:type>"),
        "{}",
        u.body
    );
    let back = v2.get(&format!("{DEMO_ORCID}/work/{pc}"), XML);
    assert_eq!(back.status, 200, "{}", back.body);
    assert!(back.body.contains("Preprinted Notes"), "{}", back.body);
    assert!(
        back.body.contains("<work:type>other</work:type>"),
        "{}",
        back.body
    );
    // The v3.0 `common:url` is v2.1's `work:url`.
    assert!(back.body.contains("<work:url>"), "{}", back.body);

    // One store: a duplicate across versions is still a duplicate.
    let dup = v3.post(
        &format!("{DEMO_ORCID}/work"),
        XML,
        &work3("Again", "preprint", "10.1/cross"),
    );
    assert_eq!(dup.status, 409, "{}", dup.body);
    assert_eq!(dup.error_code(), Some(9021));

    // Deleted in v2.1: gone in v3.0.
    assert_eq!(v2.delete(&format!("{DEMO_ORCID}/work/{pc}")).status, 204);
    assert_eq!(v3.get(&format!("{DEMO_ORCID}/work/{pc}"), XML).status, 404);
}

#[test]
fn a_v3_write_is_read_in_v2() {
    let server = start();
    let token = demo_token(&server);
    let v2 = Api::new(&server, &token);
    let v3 = Api::v3(&server, &token);
    let r = v3.post(
        &format!("{DEMO_ORCID}/work"),
        XML,
        &work3("Dataset Paper", "journal-article", "10.1/v3"),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let pc = r.put_code();
    let g = v2.get(&format!("{DEMO_ORCID}/work/{pc}"), XML);
    assert_eq!(g.status, 200, "{}", g.body);
    assert!(g.body.contains("Dataset Paper"));
    assert!(g.body.contains("<work:type>journal-article</work:type>"));
    // …and updated there, then read in v3.0 again.
    let updated = with_put_code(
        &work_xml("10.1/v3").replace("visibility=\"public\"", ""),
        pc,
    );
    let u = v2.put(&format!("{DEMO_ORCID}/work/{pc}"), XML, &updated);
    assert_eq!(u.status, 200, "{}", u.body);
    let again = v3.get(&format!("{DEMO_ORCID}/work/{pc}"), XML);
    assert!(
        again.body.contains("Field Notes on Persistent Identifiers"),
        "{}",
        again.body
    );

    // An education written in v3.0 is an education for v2.1 readers.
    let e = v3.post(
        &format!("{DEMO_ORCID}/education"),
        XML,
        &affiliation("education", "E-1", "Student"),
    );
    assert_eq!(e.status, 201, "{}", e.body);
    let epc = e.put_code();
    let list = v2.get(&format!("{DEMO_ORCID}/educations"), XML);
    assert!(
        list.body.contains(&format!("put-code=\"{epc}\"")),
        "{}",
        list.body
    );
    assert!(list.body.contains("Student"));
    let list3 = v3.get(&format!("{DEMO_ORCID}/educations"), XML);
    assert!(
        list3.body.contains("<activities:affiliation-group>"),
        "{}",
        list3.body
    );
    assert_valid_v3(&list3.body);
}

#[test]
fn record_activities_and_person_are_valid_v3() {
    let server = start();
    let token = demo_token(&server);
    let v2 = Api::new(&server, &token);
    let v3 = Api::v3(&server, &token);
    // Something in every kind of section, from both versions.
    assert_eq!(
        v2.post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.1/a"))
            .status,
        201
    );
    for (path, body) in [
        ("work", work3("B", "software", "10.1/b")),
        ("work", work3("B2", "software", "10.1/b2")),
        ("distinction", affiliation("distinction", "D-1", "Prize")),
        ("employment", affiliation("employment", "M-1", "Engineer")),
        ("peer-review", peer_review3("R-1", "issn:0317-8471")),
        ("peer-review", peer_review3("R-2", "issn:0317-8471")),
        ("research-resource", research_resource("P-9", "Beamtime")),
    ] {
        let r = v3.post(&format!("{DEMO_ORCID}/{path}"), XML, &body);
        assert_eq!(r.status, 201, "{path}: {}", r.body);
    }
    let k = v3.post(
        &format!("{DEMO_ORCID}/keywords"),
        XML,
        r#"<keyword:keyword xmlns:keyword="http://www.orcid.org/ns/keyword" xmlns:common="http://www.orcid.org/ns/common"><keyword:content>optics</keyword:content></keyword:keyword>"#,
    );
    assert_eq!(k.status, 201, "{}", k.body);
    assert!(k.header("location").unwrap().contains("/v3.0/"));

    for path in [
        "",
        "/record",
        "/activities",
        "/person",
        "/personal-details",
        "/email",
        "/works",
        "/peer-reviews",
        "/distinctions",
        "/employments",
        "/research-resources",
        "/keywords",
    ] {
        let g = v3.get(&format!("{DEMO_ORCID}{path}"), XML);
        assert_eq!(g.status, 200, "{path}: {}", g.body);
        assert_valid_v3(&g.body);
        let j = v3.get(&format!("{DEMO_ORCID}{path}"), JSON);
        assert_eq!(j.status, 200, "{path}: {}", j.body);
    }
    let acts = v3.get(&format!("{DEMO_ORCID}/activities"), XML).body;
    assert!(acts.contains("<activities:peer-review-group>"), "{acts}");
    assert!(acts.contains("Prize"), "{acts}");
    assert!(acts.contains("Beamtime"), "{acts}");
    let rec = v3.get(&format!("{DEMO_ORCID}/record"), XML).body;
    assert!(rec.contains("optics"), "{rec}");
    // v2.1 readers see neither the distinction nor the research resource.
    let v2acts = v2.get(&format!("{DEMO_ORCID}/activities"), XML).body;
    assert!(!v2acts.contains("Prize"), "{v2acts}");
    assert!(!v2acts.contains("Beamtime"), "{v2acts}");
    assert!(v2acts.contains("Engineer"), "{v2acts}");
}

#[test]
fn v3_error_codes() {
    let server = start();
    let api = Api::v3(&server, &demo_token(&server));
    // A put-code on POST: 400/9024.
    let r = api.post(
        &format!("{DEMO_ORCID}/service"),
        XML,
        &with_put_code(&affiliation("service", "S-1", "Editor"), 7),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.error_code(), Some(9024), "{}", r.body);
    // An element the v3.0 XSD does not have: 400/9001.
    let bad = affiliation("service", "S-1", "Editor").replace(
        "<common:role-title>",
        "<common:bogus>x</common:bogus><common:role-title>",
    );
    let r = api.post(&format!("{DEMO_ORCID}/service"), XML, &bad);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.error_code(), Some(9001), "{}", r.body);
    // A v2.1-only element in a v3.0 work (`work:url`, v3.0 has
    // `common:url`): 400/9001.
    let v2_only = work3("T", "book", "10.1/e")
        .replace("<common:url>", "<work:url>")
        .replace("</common:url>", "</work:url>");
    let r = api.post(&format!("{DEMO_ORCID}/work"), XML, &v2_only);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.error_code(), Some(9001), "{}", r.body);
    // Broken JSON: 400/9047.
    let r = api.post(&format!("{DEMO_ORCID}/service"), JSON, "{\"role-title\": ");
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.error_code(), Some(9047), "{}", r.body);

    let created = api.post(
        &format!("{DEMO_ORCID}/service"),
        XML,
        &affiliation("service", "S-1", "Editor"),
    );
    assert_eq!(created.status, 201, "{}", created.body);
    let pc = created.put_code();
    // PUT with another put-code in the body: 400/9019.
    let r = api.put(
        &format!("{DEMO_ORCID}/service/{pc}"),
        XML,
        &with_put_code(&affiliation("service", "S-1", "Editor"), pc + 1000),
    );
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.error_code(), Some(9019), "{}", r.body);
    // A put-code that is not on the record: 404/9016.
    let r = api.put(
        &format!("{DEMO_ORCID}/service/99999"),
        XML,
        &with_put_code(&affiliation("service", "S-1", "Editor"), 99999),
    );
    assert_eq!(r.status, 404, "{}", r.body);
    assert_eq!(r.error_code(), Some(9016));

    // Another client may neither update nor delete it: 403/9010.
    let other = user_token(
        &server,
        OTHER_CLIENT,
        "/read-limited /activities/update",
        "",
    );
    let o = Api::v3(&server, &other);
    let r = o.put(
        &format!("{DEMO_ORCID}/service/{pc}"),
        XML,
        &with_put_code(&affiliation("service", "S-1", "Chief Editor"), pc),
    );
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.error_code(), Some(9010));
    let r = o.delete(&format!("{DEMO_ORCID}/service/{pc}"));
    assert_eq!(r.status, 403, "{}", r.body);
    assert_eq!(r.error_code(), Some(9010));
    // …but the same ids from another source are no duplicate.
    let r = o.post(
        &format!("{DEMO_ORCID}/service"),
        XML,
        &affiliation("service", "S-1", "Editor"),
    );
    assert_eq!(r.status, 201, "{}", r.body);

    // No token: 403; unknown path: 404; wrong method: 405.
    let anon = read(
        agent()
            .get(&format!("{}/v3.0/{DEMO_ORCID}/services", server.base_url()))
            .call(),
    );
    assert_eq!(anon.status, 403);
    assert_eq!(api.get(&format!("{DEMO_ORCID}/nonsense"), XML).status, 404);
    let r = api.put(&format!("{DEMO_ORCID}/services"), XML, "<x/>");
    assert_eq!(r.status, 405, "{}", r.body);
}

#[test]
fn v3_items_survive_a_restart_and_old_state_files_still_open() {
    let dir = tempfile::tempdir().unwrap();
    let file = dir.path().join("mock.sqlite");
    let mut cfg = config();
    cfg.state_file = Some(file.clone());
    let server = orcid_mock::MockServer::start(cfg.clone()).unwrap();
    let token = demo_token(&server);
    let v2 = Api::new(&server, &token);
    let v3 = Api::v3(&server, &token);
    let d = v3
        .post(
            &format!("{DEMO_ORCID}/membership"),
            XML,
            &affiliation("membership", "M-9", "Member"),
        )
        .put_code();
    let w = v2
        .post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.7/old"))
        .put_code();
    server.shutdown();

    let server = orcid_mock::MockServer::start(cfg.clone()).unwrap();
    let v2 = Api::new(&server, &token);
    let v3 = Api::v3(&server, &token);
    let g = v3.get(&format!("{DEMO_ORCID}/membership/{d}"), XML);
    assert_eq!(g.status, 200, "{}", g.body);
    assert!(g.body.contains("Member"));
    assert_eq!(
        v2.get(&format!("{DEMO_ORCID}/membership/{d}"), XML).status,
        404
    );
    assert_eq!(v2.get(&format!("{DEMO_ORCID}/work/{w}"), XML).status, 200);
    assert_eq!(v3.get(&format!("{DEMO_ORCID}/work/{w}"), XML).status, 200);
    server.shutdown();

    // A state file from before v3.0 has no `version` column: its items are
    // v2.1 and it opens as before.
    let conn = rusqlite::Connection::open(&file).unwrap();
    conn.execute_batch(
        "DELETE FROM items WHERE version = '3.0'; ALTER TABLE items DROP COLUMN version;",
    )
    .unwrap();
    drop(conn);
    let server = orcid_mock::MockServer::start(cfg).unwrap();
    let v3 = Api::v3(&server, &token);
    let g = v3.get(&format!("{DEMO_ORCID}/work/{w}"), XML);
    assert_eq!(g.status, 200, "{}", g.body);
    assert_eq!(
        v3.get(&format!("{DEMO_ORCID}/membership/{d}"), XML).status,
        404
    );
}

#[test]
fn bulk_works_in_v3() {
    let server = start();
    let api = Api::v3(&server, &demo_token(&server));
    let strip = |x: String| {
        x.replace(r#" xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common""#, "")
    };
    let body = format!(
        r#"<bulk:bulk xmlns:bulk="http://www.orcid.org/ns/bulk" xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">{}{}{}</bulk:bulk>"#,
        strip(work3("One", "preprint", "10.9/one")),
        strip(with_put_code(&work3("Two", "book", "10.9/two"), 5)),
        strip(work3("One again", "book", "10.9/one")),
    );
    let r = api.post(&format!("{DEMO_ORCID}/works"), XML, &body);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_valid_v3(&r.body);
    // The first is created, the second has a put-code (9024), the third
    // repeats the first's DOI (9021).
    assert_eq!(r.body.matches("<work:work ").count(), 1, "{}", r.body);
    assert!(
        r.body.contains("<error:error-code>9024</error:error-code>"),
        "{}",
        r.body
    );
    assert!(
        r.body.contains("<error:error-code>9021</error:error-code>"),
        "{}",
        r.body
    );
    let works = api.get(&format!("{DEMO_ORCID}/works"), XML);
    let start = works.body.find("put-code=\"").unwrap() + 10;
    let pc: i64 = works.body[start..]
        .split('"')
        .next()
        .unwrap()
        .parse()
        .unwrap();
    let read = api.get(&format!("{DEMO_ORCID}/works/{pc},77777"), XML);
    assert_eq!(read.status, 200, "{}", read.body);
    assert!(
        read.body.contains("<common:title>One</common:title>"),
        "{}",
        read.body
    );
    assert!(
        read.body
            .contains("<error:error-code>9034</error:error-code>"),
        "{}",
        read.body
    );
    assert_valid_v3(&read.body);
}

#[test]
fn search_expanded_search_and_csv_search() {
    let server = start();
    let token = client_token(&server, orcid_mock::DEMO_CLIENT_ID, "/read-public").json()
        ["access_token"]
        .as_str()
        .unwrap()
        .to_string();
    let v2 = Api::new(&server, &token);
    let v3 = Api::v3(&server, &token);
    let everyone = server.state().researchers().len() as i64;
    assert!(everyone >= 2);

    let r = v3.get("search?q=family-name:Carberry", XML);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body
            .contains(&format!("<common:path>{DEMO_ORCID}</common:path>")),
        "{}",
        r.body
    );
    assert!(r.body.contains("num-found=\"1\""), "{}", r.body);
    assert_valid_v3(&r.body);
    let all = v3.get("search?q=*:*", JSON);
    assert_eq!(
        all.json()["num-found"].as_i64(),
        Some(everyone),
        "{}",
        all.body
    );
    // A page: `start` and `rows`, the count of all matches.
    let page = v3.get("search?q=*:*&start=1&rows=1", JSON).json();
    assert_eq!(page["num-found"].as_i64(), Some(everyone));
    assert_eq!(page["result"].as_array().unwrap().len(), 1);
    // Both terms must match unless OR-ed.
    let none = v3.get(
        "search?q=given-names:Laure%20AND%20family-name:Carberry",
        JSON,
    );
    assert_eq!(none.json()["num-found"].as_i64(), Some(0), "{}", none.body);
    let two = v3.get(
        "search?q=given-names:Laure%20OR%20family-name:Carberry",
        JSON,
    );
    assert_eq!(two.json()["num-found"].as_i64(), Some(2), "{}", two.body);
    // rows 0..=1000 in v3.0, 0..=200 in v2.1; else 400/9012.
    let r = v3.get("search?q=*:*&rows=1001", XML);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.error_code(), Some(9012));
    assert_eq!(v3.get("search?q=*:*&rows=1000", XML).status, 200);
    assert_eq!(
        v3.get("search?q=*:*&start=-1", XML).error_code(),
        Some(9012)
    );
    let r = v2.get("search?q=*:*&rows=201", XML);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.error_code(), Some(9012));
    let r = v2.get(&format!("search?q=orcid:{OTHER_ORCID}"), JSON);
    assert_eq!(r.status, 200, "{}", r.body);
    assert_eq!(
        r.json()["result"][0]["orcid-identifier"]["path"].as_str(),
        Some(OTHER_ORCID),
        "{}",
        r.body
    );

    // Expanded search: names, no private e-mail.
    let e = v3.get("expanded-search?q=Haak", XML);
    assert_eq!(e.status, 200, "{}", e.body);
    assert!(e.body.contains("Laure"), "{}", e.body);
    assert!(!e.body.contains("laure@example.org"), "{}", e.body);
    assert_valid_v3(&e.body);
    // Expanded search is v3.0 only.
    assert_eq!(v2.get("expanded-search?q=Haak", XML).status, 404);

    // CSV search: text/csv whatever the Accept header, the columns of `fl`.
    let c = v3.get(
        "csv-search?q=Haak&fl=orcid,given-and-family-names",
        "text/csv",
    );
    assert_eq!(c.status, 200, "{}", c.body);
    assert_eq!(c.header("content-type"), Some("text/csv"));
    assert_eq!(
        c.body,
        format!("orcid,given-and-family-names\n{OTHER_ORCID},Laure Haak\n")
    );
    assert_eq!(
        v3.get("csv-search?q=Haak&fl=password", "text/csv").status,
        400
    );
}

#[test]
fn person_items_keep_their_v3_form() {
    let server = start();
    let token = demo_token(&server);
    let v2 = Api::new(&server, &token);
    let v3 = Api::v3(&server, &token);
    // v3.0 accepts a researcher-url without `url-name` (v2.1: required).
    let r = v3.post(
        &format!("{DEMO_ORCID}/researcher-urls"),
        XML,
        r#"<researcher-url:researcher-url xmlns:researcher-url="http://www.orcid.org/ns/researcher-url" xmlns:common="http://www.orcid.org/ns/common"><researcher-url:url>https://example.org/lab</researcher-url:url></researcher-url:researcher-url>"#,
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let pc = r.put_code();
    assert!(r
        .header("location")
        .unwrap()
        .ends_with(&format!("/v3.0/{DEMO_ORCID}/researcher-urls/{pc}")));
    for path in ["/researcher-urls", "/person", "/record"] {
        let g = v3.get(&format!("{DEMO_ORCID}{path}"), XML);
        assert_eq!(g.status, 200, "{path}: {}", g.body);
        assert!(
            g.body.contains("https://example.org/lab"),
            "{path}: {}",
            g.body
        );
        assert!(!g.body.contains("url-name"), "{path}: {}", g.body);
        assert_valid_v3(&g.body);
    }
    // v2.1 readers get the url as its name, as the downgrade fills it.
    let g = v2.get(&format!("{DEMO_ORCID}/researcher-urls/{pc}"), XML);
    assert_eq!(g.status, 200, "{}", g.body);
    assert!(
        g.body
            .contains("<researcher-url:url-name>https://example.org/lab</researcher-url:url-name>"),
        "{}",
        g.body
    );
    // The same URL again from the same client: 409/9030.
    let dup = v3.post(
        &format!("{DEMO_ORCID}/researcher-urls"),
        XML,
        r#"<researcher-url:researcher-url xmlns:researcher-url="http://www.orcid.org/ns/researcher-url" xmlns:common="http://www.orcid.org/ns/common"><researcher-url:url-name>Lab</researcher-url:url-name><researcher-url:url>https://example.org/lab</researcher-url:url></researcher-url:researcher-url>"#,
    );
    assert_eq!(dup.status, 409, "{}", dup.body);
    assert_eq!(dup.error_code(), Some(9030));
    assert_eq!(
        v3.delete(&format!("{DEMO_ORCID}/researcher-urls/{pc}"))
            .status,
        204
    );
}

#[test]
fn record_summary_counts_public_data() {
    let server = start();
    // The second researcher's default visibility is public.
    let token = user_token(
        &server,
        orcid_mock::DEMO_CLIENT_ID,
        "/read-limited /activities/update /person/update",
        &format!("&orcid={OTHER_ORCID}"),
    );
    let v3 = Api::v3(&server, &token);
    for (path, body) in [
        ("work", work3("A", "software", "10.2/a")),
        ("work", work3("B", "book", "10.2/b")),
        ("distinction", affiliation("distinction", "D-1", "Prize")),
        (
            "invited-position",
            affiliation("invited-position", "I-1", "Guest"),
        ),
        ("employment", affiliation("employment", "M-1", "Engineer")),
        ("qualification", affiliation("qualification", "Q-1", "PhD")),
        ("peer-review", peer_review3("R-1", "issn:0317-8471")),
        ("peer-review", peer_review3("R-2", "issn:0317-8471")),
        ("research-resource", research_resource("P-1", "Beamtime")),
    ] {
        let r = v3.post(&format!("{OTHER_ORCID}/{path}"), XML, &body);
        assert_eq!(r.status, 201, "{path}: {}", r.body);
    }
    let s = v3.get(&format!("{OTHER_ORCID}/summary"), XML);
    assert_eq!(s.status, 200, "{}", s.body);
    assert_valid_v3(&s.body);
    let j = v3.get(&format!("{OTHER_ORCID}/summary"), JSON);
    assert_eq!(j.status, 200, "{}", j.body);
    let v = j.json();
    assert_eq!(
        v["credit-name"]["value"].as_str(),
        Some("Laure Haak"),
        "{v}"
    );
    assert_eq!(v["works"]["validated-count"].as_i64(), Some(2), "{v}");
    assert_eq!(v["employments"]["count"].as_i64(), Some(1), "{v}");
    assert_eq!(
        v["professional-activities"]["count"].as_i64(),
        Some(2),
        "{v}"
    );
    assert_eq!(
        v["education-qualifications"]["count"].as_i64(),
        Some(1),
        "{v}"
    );
    assert_eq!(v["peer-reviews"]["total"].as_i64(), Some(2), "{v}");
    assert_eq!(
        v["peer-reviews"]["peer-review-publication-grants"].as_i64(),
        Some(1),
        "{v}"
    );
    assert_eq!(
        v["research-resources"]["validated-count"].as_i64(),
        Some(1),
        "{v}"
    );
    // The public employment is the researcher's current institution.
    let e = v3.get("expanded-search?q=Haak", JSON).json();
    assert_eq!(
        e["expanded-result"][0]["institution-name"][0].as_str(),
        Some("Example University"),
        "{e}"
    );
    // The demo researcher's items are limited: none counts.
    let demo = Api::v3(&server, &demo_token(&server));
    assert_eq!(
        demo.post(
            &format!("{DEMO_ORCID}/work"),
            XML,
            &work3("L", "book", "10.2/l")
        )
        .status,
        201
    );
    let d = demo.get(&format!("{DEMO_ORCID}/summary"), JSON).json();
    assert_eq!(d["works"]["validated-count"].as_i64(), Some(0), "{d}");
    // A record without employments, professional activities or education:
    // the summary leaves those blocks out (the XSD wants an item in each).
    assert!(d["employments"].is_null(), "{d}");
    let x = demo.get(&format!("{DEMO_ORCID}/summary"), XML);
    let report = orcid_validate::validate_text(
        &x.body,
        None,
        orcid_model::Version::V3_0,
        &orcid_validate::Context::default(),
    );
    assert!(report.is_valid(), "{:#?}\n{}", report.diagnostics, x.body);
}

fn permission3(item_type: &str) -> String {
    format!(
        r#"<notification:notification xmlns:notification="http://www.orcid.org/ns/notification" xmlns:common="http://www.orcid.org/ns/common">
  <notification:notification-type>permission</notification:notification-type>
  <notification:authorization-url><notification:uri>https://example.org/connect</notification:uri></notification:authorization-url>
  <notification:notification-subject>Connect your iD ({item_type})</notification:notification-subject>
  <notification:notification-intro>Please connect.</notification:notification-intro>
  <notification:items><notification:item><notification:item-type>{item_type}</notification:item-type><notification:item-name>An award</notification:item-name></notification:item></notification:items>
</notification:notification>"#
    )
}

#[test]
fn permission_notifications_in_v3() {
    let server = start();
    let cc = client_token(&server, orcid_mock::DEMO_CLIENT_ID, "/premium-notification");
    let token = cc.json()["access_token"].as_str().unwrap().to_string();
    let v2 = Api::new(&server, &token);
    let v3 = Api::v3(&server, &token);
    let path = format!("{DEMO_ORCID}/notification-permission");
    // A v3-only item type (distinction) and a v2.1 one (work).
    let d = v3.post(&path, XML, &permission3("distinction"));
    assert_eq!(d.status, 201, "{}", d.body);
    let dpc = d.put_code();
    assert!(d
        .header("location")
        .unwrap()
        .ends_with(&format!("/v3.0/{path}/{dpc}")));
    let w = v3.post(&path, XML, &permission3("work"));
    assert_eq!(w.status, 201, "{}", w.body);
    let wpc = w.put_code();

    let g = v3.get(&format!("{path}/{dpc}"), XML);
    assert_eq!(g.status, 200, "{}", g.body);
    assert!(g
        .body
        .contains("<notification:item-type>distinction</notification:item-type>"));
    assert_valid_v3(&g.body);
    let list = v3.get(&path, XML);
    assert_eq!(list.status, 200, "{}", list.body);
    assert_eq!(
        list.body.matches("<notification:notification ").count(),
        2,
        "{}",
        list.body
    );
    assert_valid_v3(&list.body);
    // v2.1 sees the work one only.
    assert_eq!(v2.get(&format!("{path}/{wpc}"), XML).status, 200);
    assert_eq!(v2.get(&format!("{path}/{dpc}"), XML).status, 404);
    // Archived through v3.0.
    let a = v3.delete(&format!("{path}/{dpc}"));
    assert_eq!(a.status, 200, "{}", a.body);
    assert!(a.body.contains("archived-date"), "{}", a.body);
    // A put-code on POST: 400/9024.
    let r = v3.post(
        &path,
        XML,
        &permission3("work").replacen(
            "<notification:notification ",
            "<notification:notification put-code=\"3\" ",
            1,
        ),
    );
    assert_eq!((r.status, r.error_code()), (400, Some(9024)), "{}", r.body);
    // Without /premium-notification: 403/9038.
    let user = Api::v3(&server, &demo_token(&server));
    let r = user.post(&path, XML, &permission3("work"));
    assert_eq!((r.status, r.error_code()), (403, Some(9038)));
}

#[test]
fn research_resource_duplicates_are_checked_on_post_only() {
    let server = start();
    let api = Api::v3(&server, &demo_token(&server));
    let a = api
        .post(
            &format!("{DEMO_ORCID}/research-resource"),
            XML,
            &research_resource("P-A", "A"),
        )
        .put_code();
    let b = api.post(
        &format!("{DEMO_ORCID}/research-resource"),
        XML,
        &research_resource("P-B", "B"),
    );
    assert_eq!(b.status, 201, "{}", b.body);
    let b = b.put_code();
    // B takes A's proposal id on PUT: accepted (ORCID checks on POST only)…
    let u = api.put(
        &format!("{DEMO_ORCID}/research-resource/{b}"),
        XML,
        &with_put_code(&research_resource("P-A", "B"), b),
    );
    assert_eq!(u.status, 200, "{}", u.body);
    // …whereas a work taking another's DOI on PUT is a duplicate.
    let w1 = api
        .post(
            &format!("{DEMO_ORCID}/work"),
            XML,
            &work3("W1", "book", "10.3/1"),
        )
        .put_code();
    let w2 = api
        .post(
            &format!("{DEMO_ORCID}/work"),
            XML,
            &work3("W2", "book", "10.3/2"),
        )
        .put_code();
    let u = api.put(
        &format!("{DEMO_ORCID}/work/{w2}"),
        XML,
        &with_put_code(&work3("W2", "book", "10.3/1"), w2),
    );
    assert_eq!(u.status, 409, "{}", u.body);
    assert_eq!(u.error_code(), Some(9021));
    assert!(u.body.contains(&w1.to_string()), "{}", u.body);
    // A and B now share a proposal id: one group.
    let list = api
        .get(&format!("{DEMO_ORCID}/research-resources"), XML)
        .body;
    assert_eq!(list.matches("<activities:group>").count(), 1, "{list}");
    assert!(list.contains(&format!("put-code=\"{a}\"")), "{list}");
    assert!(list.contains(&format!("put-code=\"{b}\"")), "{list}");
}

#[test]
fn v3_rule_codes_come_back_as_orcid_sends_them() {
    let server = start();
    let api = Api::v3(&server, &demo_token(&server));
    // A work without a `self` id: 400/9023 (v2.1 accepts it).
    let no_self = work3("Part", "book", "10.4/p").replace(
        "<common:external-id-relationship>self<",
        "<common:external-id-relationship>part-of<",
    );
    let r = api.post(&format!("{DEMO_ORCID}/work"), XML, &no_self);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.error_code(), Some(9023), "{}", r.body);
    let v2 = Api::new(&server, &api.token);
    let v2_body = work_xml("10.4/p").replace(">self<", ">part-of<");
    assert_eq!(
        v2.post(&format!("{DEMO_ORCID}/work"), XML, &v2_body).status,
        201
    );
    // An education without a disambiguated organization: 400/9045.
    let undisambiguated = {
        let e = affiliation("education", "E-9", "Student");
        let start = e.find("<common:disambiguated-organization>").unwrap();
        let end = e.find("</common:disambiguated-organization>").unwrap()
            + "</common:disambiguated-organization>".len();
        format!("{}{}", &e[..start], &e[end..])
    };
    let r = api.post(&format!("{DEMO_ORCID}/education"), XML, &undisambiguated);
    assert_eq!(r.status, 400, "{}", r.body);
    assert_eq!(r.error_code(), Some(9045), "{}", r.body);
    // The same work in a bulk: the error in place, HTTP 200.
    let bulk = format!(
        r#"<bulk:bulk xmlns:bulk="http://www.orcid.org/ns/bulk" xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common">{}</bulk:bulk>"#,
        no_self.replace(
            r#" xmlns:work="http://www.orcid.org/ns/work" xmlns:common="http://www.orcid.org/ns/common""#,
            ""
        )
    );
    let r = api.post(&format!("{DEMO_ORCID}/works"), XML, &bulk);
    assert_eq!(r.status, 200, "{}", r.body);
    assert!(
        r.body.contains("<error:error-code>9023</error:error-code>"),
        "{}",
        r.body
    );
}

/// A v3.0 funding with one `self` id of `ty` and `value`.
fn funding3(ty: &str, value: &str) -> String {
    let org = org();
    format!(
        r#"<funding:funding xmlns:funding="http://www.orcid.org/ns/funding" xmlns:common="http://www.orcid.org/ns/common">
  <funding:type>grant</funding:type>
  <funding:title><common:title>Lasers</common:title></funding:title>
  <common:external-ids>
    <common:external-id>
      <common:external-id-type>{ty}</common:external-id-type>
      <common:external-id-value>{value}</common:external-id-value>
      <common:external-id-relationship>self</common:external-id-relationship>
    </common:external-id>
  </common:external-ids>
  {org}
</funding:funding>"#
    )
}

/// ORCID's per-type normalization (`orcid_model::identifiers`): reads show
/// `external-id-normalized` or the 8001 error where ORCID does, and the
/// duplicate check compares normalized values.
#[test]
fn external_ids_are_normalized_as_orcid_does() {
    let server = start();
    let api = Api::v3(&server, &demo_token(&server));
    let r = api.post(
        &format!("{DEMO_ORCID}/work"),
        XML,
        &work3("Upper", "preprint", "https://doi.org/10.1000/ABC"),
    );
    assert_eq!(r.status, 201, "{}", r.body);
    let pc = r.put_code();

    // v2.1 readers see no normalization; v3.0 readers of a v2.1 write do.
    let v2 = Api::new(&server, &api.token);
    let g = v2.get(&format!("{DEMO_ORCID}/work/{pc}"), XML);
    assert_eq!(g.status, 200, "{}", g.body);
    assert!(!g.body.contains("external-id-normalized"), "{}", g.body);
    let w2 = v2.post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.1000/V2"));
    assert_eq!(w2.status, 201, "{}", w2.body);
    let g = api.get(&format!("{DEMO_ORCID}/work/{}", w2.put_code()), XML);
    assert!(
        g.body.contains(r#"<common:external-id-normalized transient="true">10.1000/v2</common:external-id-normalized>"#),
        "{}",
        g.body
    );

    // Another spelling of the same DOI: 409/9021.
    let dup = api.post(
        &format!("{DEMO_ORCID}/work"),
        XML,
        &work3("Lower", "book", "10.1000/abc"),
    );
    assert_eq!(dup.status, 409, "{}", dup.body);
    assert_eq!(dup.error_code(), Some(9021));

    // The full work, its summary and the works list show the normalization.
    let shown = r#"<common:external-id-value>https://doi.org/10.1000/ABC</common:external-id-value><common:external-id-normalized transient="true">10.1000/abc</common:external-id-normalized>"#;
    for path in [
        format!("{DEMO_ORCID}/work/{pc}"),
        format!("{DEMO_ORCID}/work/summary/{pc}"),
        format!("{DEMO_ORCID}/works"),
    ] {
        let g = api.get(&path, XML);
        assert_eq!(g.status, 200, "{path}: {}", g.body);
        let flat: String = g.body.split_whitespace().collect::<Vec<_>>().join("");
        let want: String = shown.split_whitespace().collect::<Vec<_>>().join("");
        assert!(flat.contains(&want), "{path}: {}", g.body);
        assert!(
            !g.body.contains("external-id-normalized-error"),
            "{}",
            g.body
        );
        assert_valid_v3(&g.body);
    }
    let j = api.get(&format!("{DEMO_ORCID}/work/{pc}"), JSON).json();
    let id = &j["external-ids"]["external-id"][0];
    assert_eq!(
        id["external-id-normalized"]["value"].as_str(),
        Some("10.1000/abc"),
        "{j}"
    );
    assert_eq!(
        id["external-id-normalized"]["transient"].as_bool(),
        Some(true),
        "{j}"
    );
    assert!(id["external-id-normalized-error"].is_null(), "{j}");

    // A value the DOI normalizer does not recognise: error 8001.
    let odd = api.post(
        &format!("{DEMO_ORCID}/work"),
        XML,
        &work3("Odd", "book", "not-a-doi"),
    );
    assert_eq!(odd.status, 201, "{}", odd.body);
    let opc = odd.put_code();
    let g = api.get(&format!("{DEMO_ORCID}/work/{opc}"), XML);
    let flat: String = g.body.split_whitespace().collect::<Vec<_>>().join("");
    assert!(
        flat.contains(r#"<common:external-id-normalized-errortransient="true"><common:error-code>8001</common:error-code><common:error-message>Cannotnormalizeidentifiervaluedoi:not-a-doi</common:error-message></common:external-id-normalized-error>"#),
        "{}",
        g.body
    );
    assert!(
        !g.body.contains("<common:external-id-normalized "),
        "{}",
        g.body
    );
    assert_valid_v3(&g.body);
    let j = api.get(&format!("{DEMO_ORCID}/work/{opc}"), JSON).json();
    let id = &j["external-ids"]["external-id"][0];
    assert!(id["external-id-normalized"].is_null(), "{j}");
    let err = &id["external-id-normalized-error"];
    assert_eq!(err["error-code"].as_str(), Some("8001"), "{j}");
    assert_eq!(
        err["error-message"].as_str(),
        Some("Cannot normalize identifier value doi:not-a-doi"),
        "{j}"
    );
    assert_eq!(err["transient"].as_bool(), Some(true), "{j}");

    // Fundings show neither, and compare raw values for duplicates.
    let f = api.post(
        &format!("{DEMO_ORCID}/funding"),
        XML,
        &funding3("doi", "https://doi.org/10.1000/F"),
    );
    assert_eq!(f.status, 201, "{}", f.body);
    let g = api.get(&format!("{DEMO_ORCID}/funding/{}", f.put_code()), XML);
    assert_eq!(g.status, 200, "{}", g.body);
    assert!(!g.body.contains("external-id-normalized"), "{}", g.body);
    let other = api.post(
        &format!("{DEMO_ORCID}/funding"),
        XML,
        &funding3("doi", "10.1000/f"),
    );
    assert_eq!(other.status, 201, "{}", other.body);

    // Peer reviews: the review identifiers are normalized (case step).
    let p = api.post(
        &format!("{DEMO_ORCID}/peer-review"),
        XML,
        &peer_review3("Review-ABC", "issn:0000-0001"),
    );
    assert_eq!(p.status, 201, "{}", p.body);
    let g = api.get(&format!("{DEMO_ORCID}/peer-review/{}", p.put_code()), XML);
    assert!(
        g.body.contains(r#"<common:external-id-normalized transient="true">review-abc</common:external-id-normalized>"#),
        "{}",
        g.body
    );
    let dup = api.post(
        &format!("{DEMO_ORCID}/peer-review"),
        XML,
        &peer_review3("review-abc", "issn:0000-0001"),
    );
    assert_eq!(dup.status, 409, "{}", dup.body);
    assert_eq!(dup.error_code(), Some(9021));
}
