//! A mock ORCID, a private home for the CLI and the demo researcher
//! connected: shared by the tests that drive `orcid` against the mock (the
//! mock and the connection come from `orcid-test-kit`).
#![allow(dead_code)]

use std::path::PathBuf;
use std::process::{Command, Output, Stdio};

use orcid_mock::{MockHandle, DEMO_CLIENT_ID, DEMO_CLIENT_SECRET};
use orcid_store::Store;
#[allow(unused_imports)] // Each test uses some of them.
pub use orcid_test_kit::mock::REDIRECT;
use orcid_test_kit::mock::{connect, demo_client, start_mock, stored_token};
use secrecy::ExposeSecret;
use tempfile::TempDir;

/// A mock, a private home for the CLI, and the demo researcher connected.
pub struct Env {
    pub server: MockHandle,
    pub dir: TempDir,
    pub token: String,
    /// `$ORCID_API_VERSION` for each run: `Some("2.1")` for the tests
    /// written for v2.1 (they pin it), `None` for the default (v3.0).
    pub api: Option<&'static str>,
}

impl Env {
    /// A mock (auto-approve, no rate limit) and a private home for the CLI;
    /// nobody connected yet.
    pub fn unconnected() -> Env {
        Env {
            server: start_mock(),
            dir: tempfile::tempdir().unwrap(),
            token: String::new(),
            api: Some("2.1"),
        }
    }

    /// [`Env::new`] with the CLI left on its default API version, v3.0
    /// (no `$ORCID_API_VERSION`).
    pub fn v3_0() -> Env {
        let mut env = Env::new();
        env.api = None;
        env
    }

    /// [`Env::unconnected`] with the demo researcher connected.
    pub fn new() -> Env {
        let mut env = Env::unconnected();
        env.token = env.connect();
        env
    }

    pub fn store_path(&self) -> PathBuf {
        self.dir.path().join("data").join("store.sqlite3")
    }

    pub fn store(&self) -> Store {
        Store::open(self.store_path()).unwrap()
    }

    /// What `orcid auth login` does, with the library: a token for the demo
    /// researcher, in the store.
    pub fn connect(&self) -> String {
        let t = connect(&demo_client(self.server.base_url()));
        self.store()
            .put_token(&stored_token(DEMO_CLIENT_ID, &t))
            .unwrap();
        t.access_token.expose_secret().to_string()
    }

    pub fn orcid(&self, args: &[&str]) -> Command {
        let mut cmd = Command::new(env!("CARGO_BIN_EXE_orcid"));
        cmd.args(args)
            .current_dir(self.dir.path())
            .env_clear()
            .env("PATH", std::env::var_os("PATH").unwrap_or_default())
            .env("HOME", self.dir.path())
            .env("XDG_CONFIG_HOME", self.dir.path().join("config"))
            .env("XDG_DATA_HOME", self.dir.path().join("share"))
            .env("ORCID_ENVIRONMENT", self.server.base_url())
            .env("ORCID_CLIENT_ID", DEMO_CLIENT_ID)
            .env("ORCID_CLIENT_SECRET", DEMO_CLIENT_SECRET)
            .env("ORCID_STORE", self.store_path())
            .stdin(Stdio::null());
        // The tests written for v2.1 pin it; `--api` overrides it per run.
        if let Some(v) = self.api {
            cmd.env("ORCID_API_VERSION", v);
        }
        cmd
    }

    /// `orcid ARGS`, its raw output.
    pub fn output(&self, args: &[&str]) -> Output {
        self.orcid(args).output().unwrap()
    }

    /// `orcid ARGS`, checked never to print the token.
    pub fn run(&self, args: &[&str]) -> Run {
        let out = self.orcid(args).output().unwrap();
        let run = Run::from(out);
        for text in [&run.stdout, &run.stderr] {
            assert!(!text.contains(&self.token), "a token was printed: {text}");
        }
        run
    }

    pub fn write(&self, name: &str, text: &str) -> String {
        let path = self.dir.path().join(name);
        std::fs::write(&path, text).unwrap();
        path.display().to_string()
    }
}

pub struct Run {
    pub code: Option<i32>,
    pub stdout: String,
    pub stderr: String,
}

impl From<Output> for Run {
    fn from(o: Output) -> Run {
        Run {
            code: o.status.code(),
            stdout: String::from_utf8_lossy(&o.stdout).into_owned(),
            stderr: String::from_utf8_lossy(&o.stderr).into_owned(),
        }
    }
}

impl Run {
    pub fn ok(self) -> Run {
        assert_eq!(
            self.code,
            Some(0),
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }

    pub fn fails(self, code: i32) -> Run {
        assert_eq!(
            self.code,
            Some(code),
            "stdout: {}\nstderr: {}",
            self.stdout,
            self.stderr
        );
        self
    }
}
