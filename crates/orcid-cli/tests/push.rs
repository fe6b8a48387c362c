//! `orcid push` end to end: the binary against the ORCID mock over real
//! HTTP, including processes killed mid-push.

mod common;

use std::path::PathBuf;

use common::Env;
use orcid_mock::{DEMO_CLIENT_ID, DEMO_ORCID};
use orcid_test_kit::paths::{copy_tree, fixture};
use serde_json::Value;

/// The push fixtures, copied into the test's home as `items/`.
fn items(env: &Env) -> PathBuf {
    let dst = env.dir.path().join("items");
    copy_tree(&fixture("push/josiah"), &dst);
    dst
}

fn own_put_codes(env: &Env) -> Vec<i64> {
    let mut v: Vec<i64> = env
        .server
        .state()
        .items(DEMO_ORCID)
        .into_iter()
        .filter(|i| i.client_id == DEMO_CLIENT_ID)
        .map(|i| i.put_code)
        .collect();
    v.sort();
    v
}

fn registry_put_codes(env: &Env) -> Vec<i64> {
    let mut v: Vec<i64> = env
        .store()
        .entries(DEMO_ORCID)
        .unwrap()
        .into_iter()
        .filter(|e| e.local_key.starts_with("push:default:"))
        .map(|e| e.put_code)
        .collect();
    v.sort();
    v
}

#[test]
fn plan_apply_and_a_second_push_that_sends_nothing() {
    let env = Env::new();
    items(&env);
    env.server.state().reset_request_counts();

    let plan = env
        .run(&["push", "--plan", "--orcid", DEMO_ORCID, "items"])
        .ok();
    assert!(plan.stdout.contains("create     work"), "{}", plan.stdout);
    assert!(
        plan.stdout
            .contains("6 to create, 0 to update, 0 unchanged"),
        "{}",
        plan.stdout
    );
    assert_eq!(env.server.state().request_counts().writes(), 0);

    let first = env.run(&["push", "--orcid", DEMO_ORCID, "items"]).ok();
    assert!(
        first.stdout.contains("6 created, 0 updated"),
        "{}",
        first.stdout
    );
    assert!(first.stdout.contains("(3 write calls)"), "{}", first.stdout);
    assert_eq!(own_put_codes(&env).len(), 6);
    assert_eq!(own_put_codes(&env), registry_put_codes(&env));

    // Without --orcid: the only connected researcher.
    env.server.state().reset_request_counts();
    let again = env.run(&["push", "items", "--output", "json"]).ok();
    let doc: Value = serde_json::from_str(&again.stdout).unwrap();
    let r = &doc["researchers"][0];
    assert_eq!(r["orcid"], DEMO_ORCID);
    assert_eq!(r["counts"]["unchanged"], 6, "{r}");
    assert_eq!(r["report"]["writes"], 0);
    assert_eq!(r["success"], true);
    assert_eq!(env.server.state().request_counts().writes(), 0);

    let status = env.run(&["push", "status"]).ok();
    for key in ["works/notes-1", "works/reach", "employment", "keyword"] {
        assert!(status.stdout.contains(key), "{}", status.stdout);
    }
    let json = env.run(&["push", "status", "--output", "json"]).ok();
    let doc: Value = serde_json::from_str(&json.stdout).unwrap();
    assert_eq!(doc["researchers"][0]["items"].as_array().unwrap().len(), 6);
}

#[test]
fn a_push_killed_at_any_point_is_finished_by_the_next_without_duplicates() {
    for n in 0..6 {
        let env = Env::new();
        items(&env);
        let mut cmd = env.orcid(&["push", "--orcid", DEMO_ORCID, "items"]);
        let killed = cmd
            .env("ORCID_PUSH_CRASH_AT", n.to_string())
            .output()
            .unwrap();
        assert_eq!(killed.status.code(), None, "aborted at checkpoint {n}");

        let status = env.run(&["push", "status"]).ok();
        assert!(
            status.stdout.contains("outcome unknown"),
            "checkpoint {n}: {}",
            status.stdout
        );
        // `--wait 0`: the lock of the killed push died with it.
        let rerun = env
            .run(&["push", "--wait", "0", "--orcid", DEMO_ORCID, "items"])
            .ok();
        assert!(rerun.stdout.contains("recovered"), "{}", rerun.stdout);
        assert!(rerun.stdout.contains("0 failed"), "{}", rerun.stdout);
        assert_eq!(
            own_put_codes(&env).len(),
            6,
            "checkpoint {n}: {}",
            rerun.stdout
        );
        assert_eq!(
            own_put_codes(&env),
            registry_put_codes(&env),
            "checkpoint {n}"
        );

        env.server.state().reset_request_counts();
        let third = env.run(&["push", "--orcid", DEMO_ORCID, "items"]).ok();
        assert!(third.stdout.contains("(0 write calls)"), "{}", third.stdout);
        assert_eq!(env.server.state().request_counts().writes(), 0);
    }
}

#[test]
fn a_push_killed_then_edited_or_deleted_leaves_no_duplicate_and_no_orphan() {
    for n in 0..6 {
        let env = Env::new();
        let dir = items(&env);
        let killed = env
            .orcid(&["push", "--orcid", DEMO_ORCID, "items"])
            .env("ORCID_PUSH_CRASH_AT", n.to_string())
            .output()
            .unwrap();
        assert_eq!(killed.status.code(), None, "aborted at checkpoint {n}");
        // The operator edits the employment (its role, which identifies
        // it, too) and deletes the keyword before pushing again.
        let e = dir.join("employment.xml");
        let text = std::fs::read_to_string(&e).unwrap();
        std::fs::write(&e, text.replace("Research Fellow", "Senior Lecturer")).unwrap();
        std::fs::remove_file(dir.join("keyword.xml")).unwrap();

        let rerun = env
            .run(&["push", "--prune", "--orcid", DEMO_ORCID, "items"])
            .ok();
        assert!(rerun.stdout.contains("0 failed"), "{}", rerun.stdout);
        assert_eq!(
            own_put_codes(&env).len(),
            5,
            "checkpoint {n}: {}",
            rerun.stdout
        );
        assert_eq!(
            own_put_codes(&env),
            registry_put_codes(&env),
            "checkpoint {n}"
        );
        let roles: Vec<String> = env
            .server
            .state()
            .items(DEMO_ORCID)
            .into_iter()
            .filter(|i| i.section == orcid_model::ItemSection::Employment)
            .map(|i| i.doc.to_xml(false))
            .collect();
        assert_eq!(roles.len(), 1, "checkpoint {n}");
        assert!(roles[0].contains("Senior Lecturer"), "checkpoint {n}");

        env.server.state().reset_request_counts();
        let third = env
            .run(&["push", "--prune", "--orcid", DEMO_ORCID, "items"])
            .ok();
        assert!(third.stdout.contains("(0 write calls)"), "{}", third.stdout);
    }
}

#[test]
fn a_second_push_of_the_same_set_refuses_or_waits_for_the_first() {
    use std::io::BufRead;
    let env = Env::new();
    items(&env);
    // This test holds the lock a push of set `default` takes, as a running
    // `orcid push` would.
    let store = env.store();
    let orcid = orcid_model::scalar::OrcidId(DEMO_ORCID.into());
    let held = orcid_push::lock_set(
        &store,
        DEMO_CLIENT_ID,
        &orcid,
        &orcid_push::PushOptions::default(),
        &mut orcid_push::Quiet,
    )
    .unwrap();
    env.server.state().reset_request_counts();

    let refused = env
        .run(&["push", "--wait", "0", "--orcid", DEMO_ORCID, "items"])
        .fails(2);
    for part in [
        "another push of set `default` to 0000-0002-1825-0097 is running",
        &format!("process {}", std::process::id()),
        "--wait SECONDS",
    ] {
        assert!(refused.stderr.contains(part), "{part}: {}", refused.stderr);
    }
    assert_eq!(env.server.state().request_counts().writes(), 0);
    // Another set is another lock.
    let keyword = std::fs::read_to_string(env.dir.path().join("items/keyword.xml")).unwrap();
    let other = env.write("other.xml", &keyword.replace("persistent", "durable"));
    let other = env
        .run(&[
            "push", "--wait", "0", "--set", "other", "--orcid", DEMO_ORCID, &other,
        ])
        .ok();
    assert!(other.stdout.contains("1 created"), "{}", other.stdout);

    // One that may wait says so, waits, and pushes once the first ends.
    let mut child = env
        .orcid(&["push", "--wait", "600", "--orcid", DEMO_ORCID, "items"])
        .stdout(std::process::Stdio::piped())
        .stderr(std::process::Stdio::piped())
        .spawn()
        .unwrap();
    let mut stderr = std::io::BufReader::new(child.stderr.take().unwrap());
    let mut line = String::new();
    stderr.read_line(&mut line).unwrap();
    assert!(line.contains("waiting up to 600 s"), "{line}");
    drop(held);
    let out = child.wait_with_output().unwrap();
    let stdout = String::from_utf8_lossy(&out.stdout);
    assert!(out.status.success(), "{stdout}");
    assert!(stdout.contains("6 created"), "{stdout}");
}

#[test]
fn an_unusable_file_stops_the_push_before_any_write() {
    let env = Env::new();
    let dir = items(&env);
    std::fs::write(dir.join("works/broken.xml"), "<work:work").unwrap();
    std::fs::write(dir.join("summary.json"), "{\"title\": 1}").unwrap();
    env.server.state().reset_request_counts();
    let run = env
        .run(&["push", "--prune", "--orcid", DEMO_ORCID, "items"])
        .fails(1);
    assert!(run.stderr.contains("broken.xml"), "{}", run.stderr);
    assert!(run.stderr.contains("summary.json"), "{}", run.stderr);
    assert!(run.stderr.contains("nothing was pushed"), "{}", run.stderr);
    assert_eq!(env.server.state().request_counts().writes(), 0);
}

#[test]
fn a_manifest_pushes_each_researcher_and_reports_the_one_not_connected() {
    let env = Env::new();
    items(&env);
    env.write(
        "push.toml",
        "[[researcher]]\norcid = \"https://orcid.org/0000-0002-1825-0097\"\nitems = [\"items\"]\n\n\
         [[researcher]]\norcid = \"0000-0001-5109-3700\"\nitems = [\"items/keyword.xml\"]\n",
    );
    let run = env.run(&["push", "--manifest", "push.toml"]).fails(1);
    assert!(run.stdout.contains("6 created"), "{}", run.stdout);
    assert!(run.stderr.contains("0000-0001-5109-3700"), "{}", run.stderr);
    assert!(run.stderr.contains("orcid auth login"), "{}", run.stderr);
    assert_eq!(own_put_codes(&env).len(), 6);

    let bad = env.write(
        "bad.toml",
        "[[researcher]]\norcid = \"0000-0002-1825-0098\"\nitems = [\"items\"]\n",
    );
    let run = env.run(&["push", "--manifest", &bad]).fails(2);
    assert!(run.stderr.contains("not an ORCID iD"), "{}", run.stderr);
}

#[test]
fn a_revoked_token_fails_the_push_and_says_to_authorise_again() {
    let env = Env::new();
    let dir = items(&env);
    env.run(&["push", "--orcid", DEMO_ORCID, "items"]).ok();
    env.run(&["auth", "revoke", "--orcid", DEMO_ORCID]).ok();
    // The store forgot the token: say how to connect.
    let run = env.run(&["push", "--orcid", DEMO_ORCID, "items"]).fails(1);
    assert!(run.stderr.contains("orcid auth login"), "{}", run.stderr);

    // A token ORCID no longer accepts: the push stops with the reason.
    let env = Env::new();
    let dir2 = items(&env);
    env.run(&["push", "--orcid", DEMO_ORCID, "items"]).ok();
    let t = env
        .store()
        .token(DEMO_CLIENT_ID, DEMO_ORCID)
        .unwrap()
        .unwrap();
    let client = orcid_client::OrcidClient::new(orcid_client::ClientConfig::new(
        DEMO_CLIENT_ID,
        orcid_mock::DEMO_CLIENT_SECRET,
        common::REDIRECT,
        orcid_client::Environment::custom(env.server.base_url()),
    ))
    .unwrap();
    client.revoke(&t.access_token).unwrap();
    let kw = dir2.join("keyword.xml");
    std::fs::write(
        &kw,
        std::fs::read_to_string(&kw)
            .unwrap()
            .replace("persistent", "durable"),
    )
    .unwrap();
    let run = env.run(&["push", "--orcid", DEMO_ORCID, "items"]).fails(1);
    assert!(run.stderr.contains("stopped"), "{}", run.stderr);
    assert!(run.stderr.contains("orcid auth login"), "{}", run.stderr);
    assert!(run.stdout.contains("skipped"), "{}", run.stdout);
    drop(dir);
}

#[test]
fn usage_errors() {
    let env = Env::new();
    let run = env.run(&["push", "--orcid", DEMO_ORCID]).fails(2);
    assert!(run.stderr.contains("say what to push"), "{}", run.stderr);
    let run = env.run(&["push", "--manifest", "m.toml", "items"]).fails(2);
    assert!(run.stderr.contains("cannot be used with"), "{}", run.stderr);
    let run = env.run(&["push", "--bulk-size", "101", "items"]).fails(2);
    assert!(run.stderr.contains("101"), "{}", run.stderr);
}
