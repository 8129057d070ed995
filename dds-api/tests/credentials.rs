//! Where credentials come from: static keys, environment variables, the `aliyun` CLI
//! profile file, the SDKs' INI file, and the default chain over them. Every test uses its
//! own temporary home and an injected environment, never the process's.

use std::fs;
use std::path::Path;
use std::sync::Arc;

use dds_api::credentials::{
    CliProfileProvider, Credentials, CredentialsError, DefaultChain, EnvironmentProvider,
    IniFileProvider, ProvideCredentials, StaticEnv, StaticProvider,
};
use tempfile::TempDir;

fn home() -> TempDir {
    tempfile::tempdir().expect("temporary home")
}

fn write(path: &Path, text: &str) {
    fs::create_dir_all(path.parent().unwrap()).unwrap();
    fs::write(path, text).unwrap();
}

fn write_cli_config(home: &Path, json: &str) {
    write(&home.join(".aliyun/config.json"), json);
}

fn write_ini(home: &Path, text: &str) {
    write(&home.join(".alibabacloud/credentials"), text);
}

fn env_in(home: &TempDir) -> StaticEnv {
    StaticEnv::new().with_home(home.path())
}

const CLI_CONFIG: &str = r#"{
  "current": "work",
  "profiles": [
    { "name": "default", "mode": "AK", "access_key_id": "cli-default-id",
      "access_key_secret": "cli-default-secret", "region_id": "cn-hangzhou" },
    { "name": "work", "mode": "AK", "access_key_id": "cli-work-id",
      "access_key_secret": "cli-work-secret", "region_id": "cn-beijing" },
    { "name": "temp", "mode": "StsToken", "access_key_id": "STS.cli-id",
      "access_key_secret": "cli-sts-secret", "sts_token": "cli-sts-token" },
    { "name": "role", "mode": "RamRoleArn", "access_key_id": "role-id",
      "access_key_secret": "role-secret", "ram_role_arn": "acs:ram::1:role/x" },
    { "name": "broken", "mode": "AK", "access_key_id": "broken-id" },
    { "name": "modeless", "access_key_id": "id", "access_key_secret": "secret" }
  ]
}"#;

const INI_FILE: &str = "\
# shared by the SDKs
[default]                          # the default section
type = access_key                  # plain AccessKey
access_key_id = ini-default-id
access_key_secret = ini-default-secret

[project]
type = access_key
access_key_id = ini-project-id
access_key_secret = ini-project-secret

[off]
enable = false
type = access_key
access_key_id = off-id
access_key_secret = off-secret

[role]
type = ram_role_arn
access_key_id = role-id
access_key_secret = role-secret

[partial]
type = access_key
access_key_id = partial-id

[untyped]
access_key_id = untyped-id
access_key_secret = untyped-secret
";

fn ak(id: &str, secret: &str) -> Credentials {
    Credentials::new(id, secret)
}

#[test]
fn static_provider_returns_its_credentials() {
    let provider = StaticProvider::new(ak("id", "secret"));
    assert_eq!(provider.provide(), Ok(ak("id", "secret")));
}

#[test]
fn environment_provider_reads_the_key_pair_and_the_sts_token() {
    let env = StaticEnv::new()
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret");
    let provider = EnvironmentProvider::with_env(Arc::new(env.clone()));
    assert_eq!(provider.provide(), Ok(ak("env-id", "env-secret")));

    let sts = env.with_var("ALIBABA_CLOUD_SECURITY_TOKEN", "env-token");
    let provider = EnvironmentProvider::with_env(Arc::new(sts));
    assert_eq!(
        provider.provide(),
        Ok(ak("env-id", "env-secret").with_security_token("env-token"))
    );
}

#[test]
fn environment_provider_names_the_variable_that_is_missing_or_empty() {
    let none = EnvironmentProvider::with_env(Arc::new(StaticEnv::new()));
    let error = none.provide().unwrap_err();
    assert_eq!(
        error.to_string(),
        "environment variable ALIBABA_CLOUD_ACCESS_KEY_ID is not set"
    );

    let no_secret = StaticEnv::new().with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "id");
    let error = EnvironmentProvider::with_env(Arc::new(no_secret.clone()))
        .provide()
        .unwrap_err();
    assert_eq!(
        error,
        CredentialsError::EnvNotSet {
            name: "ALIBABA_CLOUD_ACCESS_KEY_SECRET"
        }
    );

    let empty = no_secret.with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", " ");
    let error = EnvironmentProvider::with_env(Arc::new(empty))
        .provide()
        .unwrap_err();
    assert_eq!(
        error.to_string(),
        "environment variable ALIBABA_CLOUD_ACCESS_KEY_SECRET is set but empty"
    );
}

#[test]
fn cli_profile_uses_the_current_profile_of_the_file() {
    let home = home();
    write_cli_config(home.path(), CLI_CONFIG);
    let provider = CliProfileProvider::with_env(Arc::new(env_in(&home)));
    assert_eq!(provider.provide(), Ok(ak("cli-work-id", "cli-work-secret")));
}

#[test]
fn cli_profile_falls_back_to_default_without_current() {
    let home = home();
    write_cli_config(
        home.path(),
        &CLI_CONFIG.replace(r#""current": "work","#, ""),
    );
    let provider = CliProfileProvider::with_env(Arc::new(env_in(&home)));
    assert_eq!(
        provider.provide(),
        Ok(ak("cli-default-id", "cli-default-secret"))
    );
}

#[test]
fn cli_profile_variable_overrides_current_and_explicit_profile_overrides_both() {
    let home = home();
    write_cli_config(home.path(), CLI_CONFIG);
    let env = Arc::new(env_in(&home).with_var("ALIBABA_CLOUD_PROFILE", "default"));
    let provider = CliProfileProvider::with_env(env.clone());
    assert_eq!(
        provider.provide(),
        Ok(ak("cli-default-id", "cli-default-secret"))
    );

    let provider = CliProfileProvider::with_env(env).profile("temp");
    assert_eq!(
        provider.provide(),
        Ok(ak("STS.cli-id", "cli-sts-secret").with_security_token("cli-sts-token"))
    );
}

#[test]
fn cli_config_file_variable_moves_the_file() {
    let dir = home();
    let path = dir.path().join("elsewhere.json");
    write(&path, CLI_CONFIG);
    let env = StaticEnv::new().with_var("ALIBABA_CLOUD_CONFIG_FILE", path.to_str().unwrap());
    let provider = CliProfileProvider::with_env(Arc::new(env));
    assert_eq!(provider.path(), Ok(path));
    assert_eq!(provider.provide(), Ok(ak("cli-work-id", "cli-work-secret")));
}

#[test]
fn cli_profile_errors_name_the_file_the_profile_and_the_problem() {
    let home = home();
    let path = home.path().join(".aliyun/config.json");
    let provider = |profile: &str| {
        CliProfileProvider::with_env(Arc::new(env_in(&home)))
            .profile(profile)
            .provide()
            .unwrap_err()
    };

    assert_eq!(
        provider("work"),
        CredentialsError::FileNotFound { path: path.clone() }
    );

    write_cli_config(home.path(), CLI_CONFIG);
    let missing = provider("nope");
    assert_eq!(
        missing.to_string(),
        format!(
            "profile `nope` is not in {} (profiles there: default, work, temp, role, broken, modeless)",
            path.display()
        )
    );
    let role = provider("role");
    assert_eq!(
        role.to_string(),
        format!(
            "profile `role` in {} uses mode `RamRoleArn`, which is not supported (supported: AK, StsToken)",
            path.display()
        )
    );
    assert_eq!(
        provider("broken"),
        CredentialsError::MissingField {
            path: path.clone(),
            profile: "broken".into(),
            field: "access_key_secret"
        }
    );

    assert_eq!(
        provider("modeless").to_string(),
        format!("profile `modeless` in {} has no `mode`", path.display())
    );

    write_cli_config(home.path(), "{ \"profiles\": [ ");
    let invalid = provider("work").to_string();
    assert!(invalid.contains("not valid JSON"), "{invalid}");
    assert!(invalid.contains(&path.display().to_string()), "{invalid}");

    write_cli_config(home.path(), "{}");
    let shapeless = provider("work").to_string();
    assert!(shapeless.contains("no `profiles` list"), "{shapeless}");
}

#[test]
fn cli_profile_without_a_home_says_so() {
    let provider = CliProfileProvider::with_env(Arc::new(StaticEnv::new()));
    let error = provider.provide().unwrap_err();
    assert_eq!(
        error,
        CredentialsError::NoHome {
            file: "~/.aliyun/config.json"
        }
    );
}

#[test]
fn ini_file_uses_the_default_section() {
    let home = home();
    write_ini(home.path(), INI_FILE);
    let provider = IniFileProvider::with_env(Arc::new(env_in(&home)));
    assert_eq!(
        provider.provide(),
        Ok(ak("ini-default-id", "ini-default-secret"))
    );
}

#[test]
fn ini_file_section_comes_from_the_profile_variable_or_an_explicit_profile() {
    let home = home();
    write_ini(home.path(), INI_FILE);
    let env = Arc::new(env_in(&home).with_var("ALIBABA_CLOUD_PROFILE", "project"));
    let provider = IniFileProvider::with_env(env.clone());
    assert_eq!(
        provider.provide(),
        Ok(ak("ini-project-id", "ini-project-secret"))
    );

    let provider = IniFileProvider::with_env(env).profile("default");
    assert_eq!(
        provider.provide(),
        Ok(ak("ini-default-id", "ini-default-secret"))
    );
}

#[test]
fn ini_credentials_file_variable_moves_the_file() {
    let dir = home();
    let path = dir.path().join("my-credentials.ini");
    write(&path, INI_FILE);
    let env = StaticEnv::new().with_var("ALIBABA_CLOUD_CREDENTIALS_FILE", path.to_str().unwrap());
    let provider = IniFileProvider::with_env(Arc::new(env));
    assert_eq!(provider.path(), Ok(path));
    assert_eq!(
        provider.provide(),
        Ok(ak("ini-default-id", "ini-default-secret"))
    );
}

#[test]
fn ini_file_errors_name_the_file_the_section_and_the_problem() {
    let home = home();
    let path = home.path().join(".alibabacloud/credentials");
    let provider = |profile: &str| {
        IniFileProvider::with_env(Arc::new(env_in(&home)))
            .profile(profile)
            .provide()
            .unwrap_err()
    };

    assert_eq!(
        provider("default"),
        CredentialsError::FileNotFound { path: path.clone() }
    );

    write_ini(home.path(), INI_FILE);
    assert_eq!(
        provider("nope"),
        CredentialsError::ProfileNotFound {
            path: path.clone(),
            profile: "nope".into(),
            available: ["default", "project", "off", "role", "partial", "untyped"]
                .map(String::from)
                .to_vec(),
        }
    );
    assert_eq!(
        provider("off").to_string(),
        format!(
            "profile `off` in {} is disabled (enable = false)",
            path.display()
        )
    );
    assert_eq!(
        provider("role"),
        CredentialsError::UnsupportedMode {
            path: path.clone(),
            profile: "role".into(),
            mode: "ram_role_arn".into(),
            supported: "access_key",
        }
    );
    assert_eq!(
        provider("partial").to_string(),
        format!(
            "profile `partial` in {} has no `access_key_secret`",
            path.display()
        )
    );

    assert_eq!(
        provider("untyped"),
        CredentialsError::MissingField {
            path: path.clone(),
            profile: "untyped".into(),
            field: "type"
        }
    );

    write_ini(home.path(), "access_key_id = early\n[default]\n");
    assert!(
        provider("default")
            .to_string()
            .contains("line 1: a `key = value` line comes before any `[section]`")
    );
    write_ini(home.path(), "[default]\njust some words\n");
    assert!(
        provider("default")
            .to_string()
            .contains("line 2: expected `[section]` or `key = value`")
    );
}

#[test]
fn the_chain_prefers_the_environment_then_the_cli_file_then_the_ini_file() {
    let home = home();
    write_cli_config(home.path(), CLI_CONFIG);
    write_ini(home.path(), INI_FILE);
    let with_vars = env_in(&home)
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
        .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret");
    let chain = DefaultChain::with_env(Arc::new(with_vars));
    assert_eq!(chain.provide(), Ok(ak("env-id", "env-secret")));

    let chain = DefaultChain::with_env(Arc::new(env_in(&home)));
    assert_eq!(chain.provide(), Ok(ak("cli-work-id", "cli-work-secret")));

    fs::remove_file(home.path().join(".aliyun/config.json")).unwrap();
    assert_eq!(
        chain.provide(),
        Ok(ak("ini-default-id", "ini-default-secret"))
    );
}

#[test]
fn the_chain_error_lists_every_source_and_its_reason() {
    let home = home();
    write_ini(home.path(), INI_FILE);
    let env = env_in(&home).with_var("ALIBABA_CLOUD_PROFILE", "role");
    let error = DefaultChain::with_env(Arc::new(env)).provide().unwrap_err();

    let CredentialsError::NoneFound { failures } = &error else {
        panic!("expected the chain's error, got {error:?}");
    };
    let sources: Vec<&str> = failures.iter().map(|(source, _)| *source).collect();
    assert_eq!(
        sources,
        ["environment", "aliyun CLI profile", "credentials file"]
    );
    let message = error.to_string();
    let cli = home.path().join(".aliyun/config.json");
    assert_eq!(
        message,
        format!(
            "no credentials found: environment: environment variable ALIBABA_CLOUD_ACCESS_KEY_ID is not set; \
             aliyun CLI profile: file not found at {}; \
             credentials file: profile `role` in {} uses mode `ram_role_arn`, which is not supported (supported: access_key)",
            cli.display(),
            home.path().join(".alibabacloud/credentials").display()
        )
    );
}

#[test]
fn an_explicit_profile_skips_the_environment_and_selects_in_both_files() {
    let home = home();
    write_cli_config(home.path(), CLI_CONFIG);
    write_ini(home.path(), INI_FILE);
    let env = Arc::new(
        env_in(&home)
            .with_var("ALIBABA_CLOUD_ACCESS_KEY_ID", "env-id")
            .with_var("ALIBABA_CLOUD_ACCESS_KEY_SECRET", "env-secret"),
    );

    let chain = DefaultChain::with_env(env.clone()).profile("temp");
    assert_eq!(
        chain.provide(),
        Ok(ak("STS.cli-id", "cli-sts-secret").with_security_token("cli-sts-token"))
    );

    // `project` is only in the INI file: the CLI file says why it has none, the INI file has it.
    let chain = DefaultChain::with_env(env.clone()).profile("project");
    assert_eq!(
        chain.provide(),
        Ok(ak("ini-project-id", "ini-project-secret"))
    );

    let error = DefaultChain::with_env(env)
        .profile("nowhere")
        .provide()
        .unwrap_err();
    let CredentialsError::NoneFound { failures } = error else {
        panic!("expected the chain's error");
    };
    assert_eq!(failures.len(), 2);
    assert!(matches!(
        &failures[0].1,
        CredentialsError::ProfileNotFound { profile, .. } if profile == "nowhere"
    ));
    assert!(matches!(
        &failures[1].1,
        CredentialsError::ProfileNotFound { profile, .. } if profile == "nowhere"
    ));
}

#[test]
fn the_chain_skips_the_cli_file_when_it_is_disabled() {
    let home = home();
    write_cli_config(home.path(), CLI_CONFIG);
    write_ini(home.path(), INI_FILE);
    let env = env_in(&home).with_var("ALIBABA_CLOUD_CLI_PROFILE_DISABLED", "true");
    let chain = DefaultChain::with_env(Arc::new(env));
    assert_eq!(
        chain.provide(),
        Ok(ak("ini-default-id", "ini-default-secret"))
    );
}
