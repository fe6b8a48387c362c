//! `update`: moving the pin to a fake new commit, from a directory and over a
//! fake GitHub tree API, with the schema diff.

mod common;

use std::collections::BTreeMap;
use std::fs;
use std::path::{Path, PathBuf};

use common::{committed_lock, copy_tree, list_files, mirror, serve_mirror, PINNED};
use orcid_schemas::{
    sha256_hex, summarize_xsd, sync, update, ChangeKind, Lock, SchemaDiff, Source, SyncError,
    UpdateError, UpdateOptions,
};

const NEW_COMMIT: &str = "1111111111111111111111111111111111111111";
const CHANGED: &str = "record_2.1/work-2.1.xsd";
const REMOVED: &str = "record_2.1/samples/read_samples/work-2.1.xml";
const ADDED: &str = "record_2.1/extra-2.1.xsd";

const EXTRA_XSD: &str = r#"<?xml version="1.0" encoding="UTF-8"?>
<xs:schema xmlns:xs="http://www.w3.org/2001/XMLSchema" targetNamespace="urn:x">
  <xs:element name="extra">
    <xs:complexType>
      <xs:attribute name="kind">
        <xs:simpleType>
          <xs:restriction base="xs:string">
            <xs:enumeration value="a"/>
            <xs:enumeration value="b"/>
          </xs:restriction>
        </xs:simpleType>
      </xs:attribute>
    </xs:complexType>
  </xs:element>
</xs:schema>
"#;

/// Copies the mirror to `dir` and applies the "new commit" changes: one XSD
/// gains two elements and an enumeration value, one sample is removed, one
/// XSD is added (plus a file the lock does not cover).
fn fake_new_mirror(mirror: &Path, dir: &Path) {
    copy_tree(mirror, dir);
    let work = dir.join(CHANGED);
    let text = fs::read_to_string(&work).unwrap();
    let enum_line = r#"<xs:enumeration value="book" />"#;
    assert_eq!(text.matches(enum_line).count(), 1);
    let text = text.replacen(
        enum_line,
        &format!("{enum_line}\n\t\t\t<xs:enumeration value=\"fake-type\" />"),
        1,
    );
    let text = text.replacen(
        "</xs:schema>",
        "\t<xs:element name=\"fake-global\">\n\t\t<xs:complexType><xs:sequence>\n\
         \t\t\t<xs:element name=\"fake-local\" type=\"xs:string\" />\n\
         \t\t</xs:sequence></xs:complexType>\n\t</xs:element>\n</xs:schema>",
        1,
    );
    fs::write(&work, text).unwrap();
    fs::remove_file(dir.join(REMOVED)).unwrap();
    fs::write(dir.join(ADDED), EXTRA_XSD).unwrap();
    fs::write(dir.join("record_2.1/NOTES.md"), "not covered").unwrap();
}

fn options(source: Source, previous: Option<Source>, dest: PathBuf) -> UpdateOptions {
    UpdateOptions {
        commit: NEW_COMMIT.into(),
        source,
        api_url: String::new(),
        previous,
        dest,
    }
}

/// Checks the new lock, the diff and the synced cache against the fake changes.
fn check_outcome(old: &Lock, new_mirror: &Path, lock: &Lock, diff: &SchemaDiff, dest: &Path) {
    // Lock: new commit, hashes of the new files.
    assert_eq!(lock.commit, NEW_COMMIT);
    assert_eq!(lock.repository, old.repository);
    assert_eq!(lock.files.len(), old.files.len());
    assert_eq!(*lock, Lock::from_dir(new_mirror, NEW_COMMIT).unwrap());
    for f in &lock.files {
        let bytes = fs::read(new_mirror.join(&f.path)).unwrap();
        assert_eq!(f.sha256, sha256_hex(&bytes), "{}", f.path);
    }
    assert!(lock.get(REMOVED).is_none());
    assert!(lock.get("record_2.1/NOTES.md").is_none());
    assert_ne!(
        lock.get(CHANGED).unwrap().sha256,
        old.get(CHANGED).unwrap().sha256
    );

    // Diff: exactly the fake changes.
    assert_eq!(diff.old_commit.as_deref(), Some(PINNED));
    assert_eq!(diff.paths(ChangeKind::Added), [ADDED]);
    assert_eq!(diff.paths(ChangeKind::Removed), [REMOVED]);
    assert_eq!(diff.paths(ChangeKind::Changed), [CHANGED]);
    assert_eq!(diff.unchanged, old.files.len() - 2);

    let changed = diff.file(CHANGED).unwrap();
    let x = changed
        .xsd
        .as_ref()
        .expect("xsd detail for the changed file");
    assert_eq!(x.elements_added, ["fake-global", "fake-global/fake-local"]);
    assert!(x.elements_removed.is_empty());
    assert_eq!(
        x.enumerations_added,
        BTreeMap::from([("work-type".to_owned(), vec!["fake-type".to_owned()])])
    );
    assert!(x.enumerations_removed.is_empty());

    let added = diff.file(ADDED).unwrap();
    let x = added.xsd.as_ref().expect("xsd detail for the added file");
    assert_eq!(x.elements_added, ["extra"]);
    assert_eq!(
        x.enumerations_added,
        BTreeMap::from([(
            "extra/@kind".to_owned(),
            vec!["a".to_owned(), "b".to_owned()]
        )])
    );
    // A removed sample is not an XSD: listed, no detail.
    let removed = diff.file(REMOVED).unwrap();
    assert!(removed.xsd.is_none() && removed.note.is_none());

    let text = diff.to_string();
    for needle in [
        "0f61fa6 -> 1111111: 1 added, 1 removed, 1 changed",
        &format!("added    {ADDED}"),
        &format!("removed  {REMOVED}"),
        &format!("changed  {CHANGED}"),
        "+ element fake-global/fake-local",
        "+ enumeration work-type: fake-type",
        "+ enumeration extra/@kind: a, b",
    ] {
        assert!(text.contains(needle), "missing {needle:?} in:\n{text}");
    }
    assert!(!text.contains("- element"), "{text}");

    // Cache now matches the new lock exactly.
    let expected: Vec<String> = lock.files.iter().map(|f| f.path.clone()).collect();
    assert_eq!(list_files(dest), expected);
    let again = sync(lock, &Source::Dir("/nonexistent".into()), dest).unwrap();
    assert_eq!(again.fetched, 0);
}

#[test]
fn update_from_directory() {
    let Some(mirror) = mirror() else { return };
    let old = committed_lock();
    let tmp = tempfile::tempdir().unwrap();
    let new_mirror = tmp.path().join("new");
    fake_new_mirror(&mirror, &new_mirror);

    // The cache holds the old files: the diff reads them from there.
    let dest = tmp.path().join("cache");
    sync(&old, &Source::Dir(mirror), &dest).unwrap();

    let out = update(
        Some(&old),
        &options(Source::Dir(new_mirror.clone()), None, dest.clone()),
    )
    .unwrap();
    println!("{}", out.diff);
    check_outcome(&old, &new_mirror, &out.lock, &out.diff, &dest);
    assert_eq!(out.sync.fetched, 2);
    assert_eq!(out.sync.removed, 1);

    // Saving and reloading gives the same lock.
    let lock_path = tmp.path().join("orcid-model.lock");
    out.lock.save(&lock_path).unwrap();
    assert_eq!(Lock::load(&lock_path).unwrap(), out.lock);
}

#[test]
fn update_reads_previous_files_from_previous_source() {
    let Some(mirror) = mirror() else { return };
    let old = committed_lock();
    let tmp = tempfile::tempdir().unwrap();
    let new_mirror = tmp.path().join("new");
    fake_new_mirror(&mirror, &new_mirror);

    // Empty cache, previous source given: same diff.
    let dest = tmp.path().join("cache");
    let out = update(
        Some(&old),
        &options(
            Source::Dir(new_mirror.clone()),
            Some(Source::Dir(mirror)),
            dest.clone(),
        ),
    )
    .unwrap();
    check_outcome(&old, &new_mirror, &out.lock, &out.diff, &dest);

    // Neither cache nor previous source: the changed XSD keeps a note instead of detail.
    let dest2 = tmp.path().join("cache2");
    let out = update(Some(&old), &options(Source::Dir(new_mirror), None, dest2)).unwrap();
    let changed = out.diff.file(CHANGED).unwrap();
    assert!(changed.xsd.is_none());
    assert!(changed.note.as_deref().unwrap().contains("not available"));
    assert!(out.diff.to_string().contains("not available"));
}

#[test]
fn update_over_fake_github_api() {
    let Some(mirror) = mirror() else { return };
    let old = committed_lock();
    let tmp = tempfile::tempdir().unwrap();
    let new_mirror = tmp.path().join("new");
    fake_new_mirror(&mirror, &new_mirror);
    let server = serve_mirror(new_mirror.clone(), NEW_COMMIT);

    let dest = tmp.path().join("cache");
    let mut opts = options(
        Source::Https {
            base_url: format!("{}/raw", server.base),
        },
        Some(Source::Dir(mirror)),
        dest.clone(),
    );
    opts.api_url = format!("{}/api", server.base);
    let out = update(Some(&old), &opts).unwrap();
    check_outcome(&old, &new_mirror, &out.lock, &out.diff, &dest);
    // One tree listing plus one request per file of the new commit.
    assert_eq!(server.count(), 1 + out.lock.files.len());

    // An unknown commit: the tree API answers 404.
    opts.commit = "2222222222222222222222222222222222222222".into();
    let err = update(Some(&old), &opts).unwrap_err();
    assert!(
        matches!(
            err,
            UpdateError::Sync(SyncError::HttpStatus { status: 404, .. })
        ),
        "{err:?}"
    );
    assert!(err.to_string().contains("404"), "{err}");
}

#[test]
fn update_rejects_bad_input() {
    let tmp = tempfile::tempdir().unwrap();
    let mut opts = options(Source::Dir(tmp.path().into()), None, tmp.path().join("c"));
    opts.commit = "HEAD".into();
    assert!(matches!(
        update(None, &opts).unwrap_err(),
        UpdateError::Lock(_)
    ));
    // A directory without any covered file.
    opts.commit = NEW_COMMIT.into();
    fs::write(tmp.path().join("README.md"), "x").unwrap();
    assert!(matches!(
        update(None, &opts).unwrap_err(),
        UpdateError::NoFiles { .. }
    ));
    // A missing directory.
    opts.source = Source::Dir(tmp.path().join("absent"));
    assert!(matches!(
        update(None, &opts).unwrap_err(),
        UpdateError::Sync(SyncError::MirrorMissing { .. })
    ));
}

#[test]
fn xsd_summary_of_real_schemas() {
    let Some(mirror) = mirror() else { return };
    let work = summarize_xsd(&fs::read(mirror.join("record_2.1/work-2.1.xsd")).unwrap()).unwrap();
    assert!(work.elements.contains("work"));
    assert!(work.elements.contains("work/title"));
    assert!(work.enumerations["work-type"].contains("journal-article"));
    // Every covered XSD parses.
    for f in &committed_lock().files {
        if f.path.ends_with(".xsd") {
            let s = summarize_xsd(&fs::read(mirror.join(&f.path)).unwrap());
            assert!(s.is_ok(), "{}: {:?}", f.path, s.err());
        }
    }
    assert!(summarize_xsd(b"<xs:schema><oops></xs:schema>").is_err());
}
