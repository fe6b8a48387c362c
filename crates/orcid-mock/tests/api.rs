//! Member API v2.1: every section, XML and JSON, server overwrites, errors,
//! bulk works, the inbox and permission notifications.

mod common;

use common::*;
use orcid_mock::{DEMO_CLIENT_ID, DEMO_ORCID};

fn work_path(pc: i64) -> String {
    format!("{DEMO_ORCID}/work/{pc}")
}

#[test]
fn work_crud_xml() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let r = api.post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.1/xml"));
    assert_eq!(r.status, 201, "{}", r.body);
    assert!(r.body.is_empty());
    let pc = r.put_code();
    assert_eq!(
        r.header("location").unwrap(),
        format!("{}/v2.1/{DEMO_ORCID}/work/{pc}", server.base_url())
    );

    let g = api.get(&work_path(pc), XML);
    assert_eq!(g.status, 200);
    assert_eq!(g.header("content-type"), Some(XML_CT));
    // Server overwrites: put-code, source, dates, and the researcher's
    // default visibility (limited) instead of the client's `public`.
    assert!(g.body.contains(&format!("put-code=\"{pc}\"")), "{}", g.body);
    assert!(g.body.contains("visibility=\"limited\""), "{}", g.body);
    assert!(g
        .body
        .contains(&format!("<common:path>{DEMO_CLIENT_ID}</common:path>")));
    assert!(g
        .body
        .contains("<common:source-name>Demo Member Client</common:source-name>"));
    assert!(g.body.contains("<common:created-date>"));

    // Update: 200 with the stored item.
    let updated = work_xml("10.1/xml")
        .replace("visibility=\"public\"", &format!("put-code=\"{pc}\""))
        .replace("Field Notes", "Revised Notes");
    let u = api.put(&work_path(pc), XML, &updated);
    assert_eq!(u.status, 200, "{}", u.body);
    assert!(u.body.contains("Revised Notes"));
    assert!(u.body.contains("visibility=\"limited\""));

    // A changed visibility on update: 403/9035.
    let vis = updated.replace(
        &format!("put-code=\"{pc}\""),
        &format!("put-code=\"{pc}\" visibility=\"public\""),
    );
    let v = api.put(&work_path(pc), XML, &vis);
    assert_eq!(v.status, 403, "{}", v.body);
    assert_eq!(v.error_code(), Some(9035));
    // The same visibility is fine.
    let same = updated.replace(
        &format!("put-code=\"{pc}\""),
        &format!("put-code=\"{pc}\" visibility=\"limited\""),
    );
    assert_eq!(api.put(&work_path(pc), XML, &same).status, 200);

    // Summary and section.
    let s = api.get(&format!("{DEMO_ORCID}/work/summary/{pc}"), XML);
    assert_eq!(s.status, 200);
    assert!(s.body.contains("<work:work-summary"), "{}", s.body);
    let works = api.get(&format!("{DEMO_ORCID}/works"), XML);
    assert!(works.body.contains("<activities:group>"), "{}", works.body);

    let d = api.delete(&work_path(pc));
    assert_eq!(d.status, 204);
    let g = api.get(&work_path(pc), XML);
    assert_eq!(g.status, 404);
    assert_eq!(g.error_code(), Some(9016));

    // Inbox: CREATE, UPDATE, DELETE (an unchanged PUT notifies nobody).
    let inbox = server.state().inbox(DEMO_ORCID);
    let actions: Vec<&str> = inbox.iter().map(|n| n.items[0].action.as_str()).collect();
    assert_eq!(actions, ["CREATE", "UPDATE", "DELETE"]);
    assert!(inbox.iter().all(|n| n.notification_type == "AMENDED"));
    let http = read(
        agent()
            .get(&format!("{}/mock/inbox/{DEMO_ORCID}", server.base_url()))
            .call(),
    );
    assert_eq!(http.status, 200);
    let list = http.json();
    assert_eq!(list.as_array().unwrap().len(), 3);
    assert_eq!(list[0]["items"][0]["item_type"], "WORK");
    assert_eq!(
        list[0]["items"][0]["item_name"],
        "Field Notes on Persistent Identifiers"
    );
    assert_eq!(list[0]["items"][0]["external_ids"][0], "doi:10.1/xml");
}

#[test]
fn work_crud_json() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let r = api.post(&format!("{DEMO_ORCID}/work"), JSON, &work_json("10.2/json"));
    assert_eq!(r.status, 201, "{}", r.body);
    let pc = r.put_code();
    let g = api.get(&work_path(pc), JSON);
    assert_eq!(g.header("content-type"), Some(JSON_CT));
    let w = g.json();
    assert_eq!(w["put-code"], pc);
    assert_eq!(w["visibility"], "LIMITED");
    assert_eq!(w["source"]["source-client-id"]["path"], DEMO_CLIENT_ID);
    assert!(w["created-date"]["value"].is_i64());
    // The same work in plain application/json and as XML.
    let plain = api.get(&work_path(pc), "application/json");
    assert_eq!(
        plain.header("content-type"),
        Some("application/json;charset=UTF-8")
    );
    let xml = api.get(&work_path(pc), "application/xml");
    assert!(xml.body.starts_with("<?xml"));

    let mut body = w.clone();
    body["title"]["title"]["value"] = "Renamed".into();
    let u = api.put(&work_path(pc), JSON, &body.to_string());
    assert_eq!(u.status, 200, "{}", u.body);
    assert_eq!(u.json()["title"]["title"]["value"], "Renamed");
    body["visibility"] = "PRIVATE".into();
    let v = api.put(&work_path(pc), JSON, &body.to_string());
    assert_eq!(v.status, 403);
    assert_eq!(v.json()["error-code"], 9035);
    assert_eq!(v.json()["response-code"], 403);
    assert!(v.json()["developer-message"]
        .as_str()
        .unwrap()
        .starts_with("403 Forbidden"));
    assert_eq!(api.delete(&work_path(pc)).status, 204);
}

#[test]
fn every_other_section() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let cases: [(&str, &str, &str, &str); 9] = [
        (
            "funding",
            "fundings",
            include_str!("data/funding.xml"),
            "<activities:fundings",
        ),
        (
            "education",
            "educations",
            include_str!("data/education.xml"),
            "<education:education-summary",
        ),
        (
            "employment",
            "employments",
            include_str!("data/employment.xml"),
            "<employment:employment-summary",
        ),
        (
            "peer-review",
            "peer-reviews",
            include_str!("data/peer-review.xml"),
            "<peer-review:peer-review-summary",
        ),
        (
            "researcher-urls",
            "researcher-urls",
            include_str!("data/researcher-url.xml"),
            "<researcher-url:researcher-url ",
        ),
        (
            "other-names",
            "other-names",
            include_str!("data/other-name.xml"),
            "<other-name:other-name ",
        ),
        (
            "keywords",
            "keywords",
            include_str!("data/keyword.xml"),
            "<keyword:keyword ",
        ),
        (
            "address",
            "address",
            include_str!("data/address.xml"),
            "<address:address ",
        ),
        (
            "external-identifiers",
            "external-identifiers",
            include_str!("data/external-identifier.xml"),
            "<external-identifier:external-identifier ",
        ),
    ];
    for (item, list, body, marker) in cases {
        let r = api.post(&format!("{DEMO_ORCID}/{item}"), XML, body);
        assert_eq!(r.status, 201, "{item}: {}", r.body);
        let pc = r.put_code();
        assert!(r
            .header("location")
            .unwrap()
            .ends_with(&format!("/v2.1/{DEMO_ORCID}/{item}/{pc}")));
        let g = api.get(&format!("{DEMO_ORCID}/{item}/{pc}"), XML);
        assert_eq!(g.status, 200, "{item}: {}", g.body);
        assert!(
            g.body.contains("visibility=\"limited\""),
            "{item}: {}",
            g.body
        );
        let j = api.get(&format!("{DEMO_ORCID}/{item}/{pc}"), JSON);
        assert_eq!(j.json()["put-code"], pc, "{item}");
        let l = api.get(&format!("{DEMO_ORCID}/{list}"), XML);
        assert_eq!(l.status, 200, "{list}");
        assert!(l.body.contains(marker), "{list}: {}", l.body);
        assert!(
            l.body.contains(&format!("put-code=\"{pc}\"")),
            "{list}: {}",
            l.body
        );
        // Person items are duplicates by value (409/9030); activities by ids.
        if !matches!(item, "education" | "employment") {
            let dup = api.post(&format!("{DEMO_ORCID}/{item}"), XML, body);
            assert_eq!(dup.status, 409, "{item}: {}", dup.body);
            assert!(
                matches!(dup.error_code(), Some(9021) | Some(9030)),
                "{item}"
            );
        }
    }
    // Only activities go to the inbox.
    let types: Vec<String> = server
        .state()
        .inbox(DEMO_ORCID)
        .iter()
        .map(|n| n.items[0].item_type.clone())
        .collect();
    assert_eq!(types, ["FUNDING", "EDUCATION", "EMPLOYMENT", "PEER_REVIEW"]);

    // Aggregates.
    for (path, marker) in [
        ("person", "<person:person"),
        ("personal-details", "<personal-details:personal-details"),
        ("biography", "<personal-details:biography"),
        ("email", "<email:emails"),
        ("activities", "<activities:activities-summary"),
        ("record", "<record:record"),
        ("", "<record:record"),
    ] {
        let r = api.get(&format!("{DEMO_ORCID}/{path}"), XML);
        assert_eq!(r.status, 200, "{path}: {}", r.body);
        assert!(r.body.contains(marker), "{path}: {}", r.body);
    }
    let rec = api.get(&format!("{DEMO_ORCID}/record"), JSON).json();
    assert_eq!(rec["person"]["name"]["family-name"]["value"], "Carberry");
    assert_eq!(
        rec["person"]["keywords"]["keyword"][0]["content"],
        "persistent identifiers"
    );
    assert_eq!(
        rec["activities-summary"]["fundings"]["group"][0]["funding-summary"][0]["title"]["title"]
            ["value"],
        "Persistent identifiers for small archives"
    );
    assert_eq!(
        rec["person"]["emails"]["email"][0]["email"],
        "josiah.carberry@example.org"
    );
}

#[test]
fn works_group_by_shared_external_ids() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let other = Api::new(
        &server,
        &user_token(
            &server,
            OTHER_CLIENT,
            "/activities/update /read-limited",
            "",
        ),
    );
    assert_eq!(
        api.post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.3/a"))
            .status,
        201
    );
    assert_eq!(
        api.post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.3/b"))
            .status,
        201
    );
    // Another client may add the same DOI: no conflict across sources, one group.
    assert_eq!(
        other
            .post(&format!("{DEMO_ORCID}/work"), XML, &work_xml("10.3/a"))
            .status,
        201
    );
    let works = api.get(&format!("{DEMO_ORCID}/works"), JSON).json();
    let groups = works["group"].as_array().unwrap();
    assert_eq!(groups.len(), 2, "{works}");
    assert_eq!(groups[0]["work-summary"].as_array().unwrap().len(), 2);
    assert_eq!(
        groups[0]["external-ids"]["external-id"][0]["external-id-value"],
        "10.3/a"
    );
}

#[test]
fn error_paths() {
    let server = start();
    let base = server.base_url();
    let token = demo_token(&server);
    let api = Api::new(&server, &token);
    let works = format!("{DEMO_ORCID}/work");

    // Missing token → 403; bad token → 401 invalid_token.
    let r = read(
        agent()
            .get(&format!("{base}/v2.1/{DEMO_ORCID}/works"))
            .call(),
    );
    assert_eq!(r.status, 403);
    let bad = Api::new(&server, "00000000-0000-4000-8000-000000000000");
    let r = bad.get(&format!("{DEMO_ORCID}/works"), XML);
    assert_eq!(r.status, 401);
    assert_eq!(r.json()["error"], "invalid_token");
    assert!(r.json()["error_description"]
        .as_str()
        .unwrap()
        .starts_with("Invalid access token"));

    // Token for another iD → 401/9017, even for a read.
    let r = api.get(&format!("{OTHER_ORCID}/works"), XML);
    assert_eq!((r.status, r.error_code()), (401, Some(9017)));
    let r = api.post(&format!("{OTHER_ORCID}/work"), XML, &work_xml("10.4/x"));
    assert_eq!((r.status, r.error_code()), (401, Some(9017)));

    // Unknown record → 404/9016.
    let r = api.get("0000-0003-1415-9269/works", XML);
    assert_eq!((r.status, r.error_code()), (404, Some(9016)));

    // Missing scope → 403/9038.
    let read_only = Api::new(
        &server,
        &user_token(&server, DEMO_CLIENT_ID, "/read-limited", ""),
    );
    let r = read_only.post(&works, XML, &work_xml("10.4/scope"));
    assert_eq!((r.status, r.error_code()), (403, Some(9038)));

    // Put-code in a POST body → 400/9024.
    let with_pc = work_xml("10.4/pc").replace("visibility=\"public\"", "put-code=\"12\"");
    let r = api.post(&works, XML, &with_pc);
    assert_eq!((r.status, r.error_code()), (400, Some(9024)), "{}", r.body);
    assert!(r.body.contains("Put-code is included when not expected"));

    // Create one, then URL vs body put-code → 400/9019.
    let pc = api.post(&works, XML, &work_xml("10.4/ok")).put_code();
    let other_pc = work_xml("10.4/ok").replace(
        "visibility=\"public\"",
        &format!("put-code=\"{}\"", pc + 1000),
    );
    let r = api.put(&work_path(pc), XML, &other_pc);
    assert_eq!((r.status, r.error_code()), (400, Some(9019)), "{}", r.body);
    assert!(r.body.contains(&format!(
        "The put code in the URL was {pc} whereas the one in the body was {}",
        pc + 1000
    )));
    let no_pc = work_xml("10.4/ok");
    let r = api.put(&work_path(pc), XML, &no_pc);
    assert_eq!(r.error_code(), Some(9019));
    assert!(r.body.contains("was null"), "{}", r.body);

    // Unknown put-code → 404/9016; non-numeric → 400/9034.
    let unknown = work_xml("10.4/ok").replace("visibility=\"public\"", "put-code=\"999999\"");
    let r = api.put(&work_path(999_999), XML, &unknown);
    assert_eq!((r.status, r.error_code()), (404, Some(9016)));
    assert_eq!(api.delete(&work_path(999_999)).error_code(), Some(9016));
    let r = api.get(&format!("{DEMO_ORCID}/work/abc"), XML);
    assert_eq!((r.status, r.error_code()), (400, Some(9034)));

    // Duplicate external id from the same source → 409/9021 with the put-code.
    let r = api.post(&works, XML, &work_xml("10.4/ok"));
    assert_eq!((r.status, r.error_code()), (409, Some(9021)));
    assert!(r.body.contains(&format!(
        "You have already added this activity (matched by external identifiers), please see element with put-code {pc}. If you are trying to edit the item, please use PUT instead of POST."
    )), "{}", r.body);
    // part-of ids never clash.
    let part_of = |doi: &str| {
        work_xml(doi).replace(
            "<common:external-id-relationship>self",
            "<common:external-id-relationship>part-of",
        )
    };
    assert_eq!(api.post(&works, XML, &part_of("10.4/issue")).status, 201);
    assert_eq!(api.post(&works, XML, &part_of("10.4/issue")).status, 201);

    // Not the source → 403/9010 (update and delete).
    let other = Api::new(
        &server,
        &user_token(
            &server,
            OTHER_CLIENT,
            "/activities/update /read-limited",
            "",
        ),
    );
    let mine = work_xml("10.4/ok")
        .replace("visibility=\"public\"", &format!("put-code=\"{pc}\""))
        .replace("Field Notes", "Hijacked");
    let r = other.put(&work_path(pc), XML, &mine);
    assert_eq!((r.status, r.error_code()), (403, Some(9010)), "{}", r.body);
    assert!(r
        .body
        .contains("You are not the source of the work, so you are not allowed to update it."));
    assert_eq!(other.delete(&work_path(pc)).error_code(), Some(9010));
    // …but it can read a limited item with /read-limited.
    assert_eq!(other.get(&work_path(pc), XML).status, 200);
    // Without /read-limited it cannot (403/9038).
    let auth_only = Api::new(
        &server,
        &user_token(&server, OTHER_CLIENT, "/authenticate", ""),
    );
    let r = auth_only.get(&work_path(pc), XML);
    assert_eq!((r.status, r.error_code()), (403, Some(9038)));
    let listed = auth_only.get(&format!("{DEMO_ORCID}/works"), JSON).json();
    assert_eq!(listed["group"].as_array().unwrap().len(), 0, "{listed}");

    // XSD failures: XML 400/9001, JSON 400/9047.
    let broken = work_xml("10.4/bad").replace(
        "<work:type>report</work:type>",
        "<work:type>nonsense</work:type>",
    );
    let r = api.post(&works, XML, &broken);
    assert_eq!((r.status, r.error_code()), (400, Some(9001)), "{}", r.body);
    let r = api.post(
        &works,
        JSON,
        r#"{"title": {"title": {"value": "x"}}, "type": "NONSENSE"}"#,
    );
    assert_eq!((r.status, r.error_code()), (400, Some(9047)), "{}", r.body);
    let r = api.post(&works, JSON, "{not json");
    assert_eq!(r.error_code(), Some(9047));
    // A funding posted to /work is not a work.
    let r = api.post(&works, XML, include_str!("data/funding.xml"));
    assert_eq!(r.error_code(), Some(9001));
    // A rule finding keeps its own code (here: unknown identifier type → 9023).
    let r = api.post(
        &works,
        XML,
        &work_xml("10.4/t").replace(">doi<", ">not-a-type<"),
    );
    assert_eq!((r.status, r.error_code()), (400, Some(9023)), "{}", r.body);

    // Media types: 406, 415, 405.
    let r = api.get(&work_path(pc), "text/html");
    assert_eq!((r.status, r.error_code()), (406, Some(9001)));
    assert!(r.header("content-type").is_none());
    let r = read(
        agent()
            .post(&format!("{base}/v2.1/{works}"))
            .header("Authorization", &format!("Bearer {token}"))
            .header("Content-Type", "text/plain")
            .send("hello"),
    );
    assert_eq!((r.status, r.error_code()), (415, Some(9001)));
    let r = read(
        agent()
            .get(&format!("{base}/v2.1/{works}"))
            .header("Authorization", &format!("Bearer {token}"))
            .call(),
    );
    assert_eq!((r.status, r.error_code()), (405, Some(9001)));
    // No Accept → XML.
    let r = read(
        agent()
            .get(&format!("{base}/v2.1/{}", work_path(pc)))
            .header("Authorization", &format!("Bearer {token}"))
            .call(),
    );
    assert_eq!(r.header("content-type"), Some(XML_CT));
}

#[test]
fn bulk_works() {
    let server = start();
    let api = Api::new(&server, &demo_token(&server));
    let existing = api
        .post(
            &format!("{DEMO_ORCID}/work"),
            XML,
            &work_xml("10.5/existing"),
        )
        .put_code();
    let inner = |doi: &str| {
        let w = work_xml(doi);
        let start = w.find("<work:work").unwrap();
        let w = &w[start..];
        // Namespaces come from the bulk root.
        w.replacen(
            " xmlns:work=\"http://www.orcid.org/ns/work\"\n           xmlns:common=\"http://www.orcid.org/ns/common\"",
            "",
            1,
        )
    };
    let invalid = inner("10.5/bad").replace("<work:type>report</work:type>", "");
    let bulk = format!(
        "<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\" xmlns:work=\"http://www.orcid.org/ns/work\" xmlns:common=\"http://www.orcid.org/ns/common\">\n{}\n{}\n{}\n{}\n{}\n</bulk:bulk>",
        inner("10.5/one"),
        invalid,
        inner("10.5/one"),
        inner("10.5/existing"),
        inner("10.5/two"),
    );
    let r = api.post(&format!("{DEMO_ORCID}/works"), XML, &bulk);
    assert_eq!(r.status, 200, "{}", r.body);
    let codes: Vec<&str> = r
        .body
        .match_indices("<error:error-code>")
        .map(|(i, _)| &r.body[i + 18..i + 22])
        .collect();
    assert_eq!(codes, ["9001", "9021", "9021"], "{}", r.body);
    assert_eq!(r.body.matches("<work:work ").count(), 2);
    assert!(r
        .body
        .contains(&format!("please see element with put-code {existing}")));
    // Order is kept: work, error, error, error, work.
    let first_error = r.body.find("<error:error").unwrap();
    let first_work = r.body.find("<work:work ").unwrap();
    let last_work = r.body.rfind("<work:work ").unwrap();
    assert!(first_work < first_error && first_error < last_work);
    // One notification lists both created works.
    let inbox = server.state().inbox(DEMO_ORCID);
    assert_eq!(inbox.last().unwrap().items.len(), 2);

    // JSON bulk.
    let wj: serde_json::Value = serde_json::from_str(&work_json("10.5/json")).unwrap();
    let mut with_pc = wj.clone();
    with_pc["put-code"] = 5.into();
    let body = serde_json::json!({"bulk": [{"work": wj}, {"work": with_pc}]});
    let r = api.post(&format!("{DEMO_ORCID}/works"), JSON, &body.to_string());
    assert_eq!(r.status, 200, "{}", r.body);
    let items = r.json()["bulk"].as_array().unwrap().clone();
    assert!(items[0]["work"]["put-code"].is_i64(), "{items:?}");
    assert_eq!(items[1]["error"]["error-code"], 9024);

    // Bulk read with a missing put-code.
    let r = api.get(&format!("{DEMO_ORCID}/works/{existing},424242"), JSON);
    assert_eq!(r.status, 200);
    let items = r.json()["bulk"].as_array().unwrap().clone();
    assert_eq!(items[0]["work"]["put-code"], existing);
    assert_eq!(items[1]["error"]["error-code"], 9034);

    // More than 100 works → 400/9006.
    let many: String = (0..101).map(|i| inner(&format!("10.5/many{i}"))).collect();
    let big = format!(
        "<bulk:bulk xmlns:bulk=\"http://www.orcid.org/ns/bulk\" xmlns:work=\"http://www.orcid.org/ns/work\" xmlns:common=\"http://www.orcid.org/ns/common\">{many}</bulk:bulk>"
    );
    let r = api.post(&format!("{DEMO_ORCID}/works"), XML, &big);
    assert_eq!(
        (r.status, r.error_code()),
        (400, Some(9006)),
        "{}",
        &r.body[..r.body.len().min(500)]
    );
    assert!(r
        .body
        .contains("You are allowed to add up to 100 elements per request."));
}

#[test]
fn visibility_on_unclaimed_and_public_default_records() {
    let server = start();
    // OTHER_ORCID's default visibility is public.
    let token = user_token(
        &server,
        DEMO_CLIENT_ID,
        "/activities/update /read-limited",
        &format!("&orcid={OTHER_ORCID}"),
    );
    let api = Api::new(&server, &token);
    let private = work_xml("10.6/p").replace("visibility=\"public\"", "visibility=\"private\"");
    let pc = api
        .post(&format!("{OTHER_ORCID}/work"), XML, &private)
        .put_code();
    let g = api.get(&format!("{OTHER_ORCID}/work/{pc}"), XML);
    assert!(g.body.contains("visibility=\"public\""), "{}", g.body);
}

#[test]
fn permission_notifications() {
    let server = start();
    let cc = client_token(&server, DEMO_CLIENT_ID, "/premium-notification");
    assert_eq!(cc.status, 200, "{}", cc.body);
    let api = Api::new(&server, cc.json()["access_token"].as_str().unwrap());
    let body = r#"<notification:notification xmlns:notification="http://www.orcid.org/ns/notification" xmlns:common="http://www.orcid.org/ns/common">
  <notification:notification-type>permission</notification:notification-type>
  <notification:authorization-url><notification:uri>https://example.org/connect</notification:uri></notification:authorization-url>
  <notification:notification-subject>Connect your iD</notification:notification-subject>
  <notification:notification-intro>Please connect.</notification:notification-intro>
  <notification:items><notification:item><notification:item-type>work</notification:item-type><notification:item-name>A paper</notification:item-name></notification:item></notification:items>
</notification:notification>"#;
    let r = api.post(&format!("{DEMO_ORCID}/notification-permission"), XML, body);
    assert_eq!(r.status, 201, "{}", r.body);
    let pc = r.put_code();
    assert!(r
        .header("location")
        .unwrap()
        .ends_with(&format!("/notification-permission/{pc}")));
    let g = api.get(&format!("{DEMO_ORCID}/notification-permission/{pc}"), XML);
    assert_eq!(g.status, 200, "{}", g.body);
    assert!(g.body.contains("Connect your iD"));
    let d = api.delete(&format!("{DEMO_ORCID}/notification-permission/{pc}"));
    assert_eq!(d.status, 200);
    assert!(d.body.contains("archived-date"), "{}", d.body);
    let inbox = server.state().inbox(DEMO_ORCID);
    assert_eq!(inbox[0].notification_type, "PERMISSION");
    // Without /premium-notification: 403/9038.
    let user = Api::new(&server, &demo_token(&server));
    let r = user.post(&format!("{DEMO_ORCID}/notification-permission"), XML, body);
    assert_eq!((r.status, r.error_code()), (403, Some(9038)));
}
