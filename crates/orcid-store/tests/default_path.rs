//! `Store::open_default` and `ORCID_STORE`. One test in its own binary, since it
//! changes the process environment.

use orcid_store::{Store, DEFAULT_FILE_NAME, STORE_ENV};

#[test]
fn default_path_and_env_override() {
    let dir = tempfile::tempdir().unwrap();

    // Without the override: the platform data directory of orcid-toolkit.
    std::env::remove_var(STORE_ENV);
    std::env::set_var("HOME", dir.path());
    std::env::remove_var("XDG_DATA_HOME");
    let default = Store::default_path().unwrap();
    assert!(
        default.ends_with(DEFAULT_FILE_NAME),
        "{}",
        default.display()
    );
    #[cfg(target_os = "linux")]
    assert_eq!(
        default,
        dir.path().join(".local/share/orcid-toolkit/store.sqlite3")
    );
    let store = Store::open_default().unwrap();
    assert_eq!(store.path(), Some(default.as_path()));
    assert!(default.is_file());

    // An empty value is ignored.
    std::env::set_var(STORE_ENV, "");
    assert_eq!(Store::default_path().unwrap(), default);

    // The override wins.
    let custom = dir.path().join("elsewhere/custom.db");
    std::env::set_var(STORE_ENV, &custom);
    assert_eq!(Store::default_path().unwrap(), custom);
    let store = Store::open_default().unwrap();
    assert_eq!(store.path(), Some(custom.as_path()));
    assert!(custom.is_file());
    std::env::remove_var(STORE_ENV);
}
