//! Rendering the policy's templates: `tag-name`, `tag-prefix`, `tag-message`,
//! `commit-message`, with cargo-release's placeholders and ours.

use std::time::{SystemTime, UNIX_EPOCH};

use crate::diagnostic::Diagnostic;
use crate::group::Group;
use release_policy_version::{Ecosystem, Version, VersionError};

/// What a template may refer to.
#[derive(Debug, Clone)]
pub struct Context<'a> {
    pub group: &'a Group,
    /// The version being released.
    pub version: &'a Version,
    /// The version before the bump (the same when nothing is bumped).
    pub prev_version: &'a Version,
    /// `YYYY-MM-DD`, UTC.
    pub date: String,
}

#[derive(Debug, thiserror::Error)]
pub enum TemplateError {
    #[error("unknown placeholder `{{{{{name}}}}}` in `{template}`")]
    Unknown { name: String, template: String },
    #[error("unclosed `{{{{` in `{template}`")]
    Unclosed { template: String },
    #[error(transparent)]
    Version(#[from] VersionError),
}

impl Diagnostic for TemplateError {
    fn help(&self) -> Option<String> {
        Some("fix the template in the policy (see docs/standard.md#placeholders)".to_string())
    }
}

impl<'a> Context<'a> {
    pub fn new(group: &'a Group, version: &'a Version, prev_version: &'a Version) -> Self {
        Context {
            group,
            version,
            prev_version,
            date: today(),
        }
    }

    /// The value of one placeholder; `prefix` and `tag_name` render their own templates.
    fn value(&self, name: &str, template: &str) -> Result<String, TemplateError> {
        let v = self.version;
        Ok(match name {
            "version" => v.to_string(),
            "pep440" => self.group.spelling.render(v, Ecosystem::Pep440)?,
            "nuget" => self.group.spelling.render(v, Ecosystem::NuGet)?,
            "major" => v.major.to_string(),
            "minor" => v.minor.to_string(),
            "patch" => v.patch.to_string(),
            "crate_name" => self.group.template_name.clone(),
            "date" => self.date.clone(),
            "prev_version" => self.prev_version.to_string(),
            "metadata" | "prev_metadata" => String::new(),
            "prefix" => self.prefix()?,
            "tag_name" => self.tag_name()?,
            other => {
                return Err(TemplateError::Unknown {
                    name: other.to_string(),
                    template: template.to_string(),
                })
            }
        })
    }

    /// `template` with every `{{placeholder}}` replaced.
    // proof: every cut is where `find` matched the ASCII `{{` or `}}`, or 2 bytes past that match:
    // character boundaries of `rest`/`after`.
    #[allow(clippy::string_slice)]
    pub fn render(&self, template: &str) -> Result<String, TemplateError> {
        let mut out = String::with_capacity(template.len() + 16);
        let mut rest = template;
        while let Some(start) = rest.find("{{") {
            out.push_str(&rest[..start]);
            let after = &rest[start + 2..];
            let end = after.find("}}").ok_or_else(|| TemplateError::Unclosed {
                template: template.to_string(),
            })?;
            out.push_str(&self.value(after[..end].trim(), template)?);
            rest = &after[end + 2..];
        }
        out.push_str(rest);
        Ok(out)
    }

    /// The rendered `tag-prefix` (empty for the workspace group and a root package).
    pub fn prefix(&self) -> Result<String, TemplateError> {
        let at_root = self.group.is_workspace() || self.group.is_root_package;
        self.render(self.group.policy.tag_prefix(at_root))
    }

    /// The rendered `tag-name` (default `{{prefix}}v{{version}}`).
    pub fn tag_name(&self) -> Result<String, TemplateError> {
        self.render(self.group.policy.tag_name())
    }

    /// The text around `{{version}}` in the rendered `tag-name` (`("v", "")` for
    /// `v{{version}}`), to find the group's tags; `None` when the template has no `{{version}}`.
    pub fn tag_affixes(&self) -> Result<Option<(String, String)>, TemplateError> {
        const MARK: &str = "\u{1}";
        let template = self.group.policy.tag_name().replace("{{version}}", MARK);
        if !template.contains(MARK) {
            return Ok(None);
        }
        let rendered = self.render(&template)?;
        Ok(rendered
            .split_once(MARK)
            .map(|(before, after)| (before.to_string(), after.to_string())))
    }

    /// The rendered `tag-message` (empty: a lightweight tag).
    pub fn tag_message(&self) -> Result<String, TemplateError> {
        self.render(self.group.policy.tag_message())
    }

    /// The rendered commit message of a release commit.
    pub fn commit_message(&self) -> Result<String, TemplateError> {
        self.render(self.group.policy.commit_message())
    }
}

/// Today's date in UTC, `YYYY-MM-DD`.
pub fn today() -> String {
    let secs = SystemTime::now()
        .duration_since(UNIX_EPOCH)
        .map_or(0, |d| d.as_secs());
    civil_date(secs / 86_400)
}

/// The calendar date `days` after 1970-01-01 (Howard Hinnant's `civil_from_days`).
pub fn civil_date(days: u64) -> String {
    let z = i64::try_from(days).unwrap_or(i64::MAX / 2) + 719_468;
    let era = z.div_euclid(146_097);
    let doe = z.rem_euclid(146_097);
    let yoe = (doe - doe / 1460 + doe / 36_524 - doe / 146_096) / 365;
    let doy = doe - (365 * yoe + yoe / 4 - yoe / 100);
    let mp = (5 * doy + 2) / 153;
    let day = doy - (153 * mp + 2) / 5 + 1;
    let month = if mp < 10 { mp + 3 } else { mp - 9 };
    let year = yoe + era * 400 + i64::from(month <= 2);
    format!("{year:04}-{month:02}-{day:02}")
}

#[cfg(test)]
mod tests {
    use std::str::FromStr;

    use super::*;
    use crate::group::{spelling, Group};

    fn group(table: &str, workspace: bool) -> Group {
        let text = format!("[package.metadata.release]\n{table}");
        let policy = policy_schema::parse_policies(&text)
            .unwrap()
            .package
            .unwrap();
        Group {
            name: if workspace {
                "workspace".into()
            } else {
                "hp-core".into()
            },
            crate_name: (!workspace).then(|| "hp-core".to_string()),
            template_name: "hp-core".into(),
            leader: "Cargo.toml".into(),
            leader_key: "package.version".into(),
            version: Version::from_str("1.4.2").unwrap(),
            spelling: spelling(&policy).unwrap(),
            policy,
            policy_file: "Cargo.toml".into(),
            unreadable: None,
            crates: vec![],
            files: vec![],
            is_root_package: false,
        }
    }

    #[track_caller]
    fn case(table: &str, workspace: bool, template: &str, expected: &str) {
        let g = group(table, workspace);
        let version = Version::from_str("1.5.0-rc.3").unwrap();
        let mut ctx = Context::new(&g, &version, &g.version);
        ctx.date = "2026-11-23".into();
        assert_eq!(ctx.render(template).unwrap(), expected, "{template}");
    }

    #[test]
    fn placeholders() {
        case("", true, "v{{version}}", "v1.5.0-rc.3");
        case("", true, "{{pep440}}", "1.5.0rc3");
        case("", true, "{{nuget}}", "1.5.0-rc.3");
        case("", true, "{{major}}.{{minor}}.{{patch}}", "1.5.0");
        case("", true, "{{crate_name}}", "hp-core");
        case("", true, "{{date}}", "2026-11-23");
        case(
            "",
            true,
            "{{prev_version}} → {{version}}",
            "1.4.2 → 1.5.0-rc.3",
        );
        case("", true, "{{metadata}}{{prev_metadata}}", "");
        case("", true, "{{prefix}}v{{version}}", "v1.5.0-rc.3");
        case("", false, "{{prefix}}v{{version}}", "hp-core-v1.5.0-rc.3");
        case(
            "tag-prefix = \"sdk/\"",
            false,
            "{{prefix}}v{{version}}",
            "sdk/v1.5.0-rc.3",
        );
        case(
            "tag-name = \"release-{{pep440}}\"",
            true,
            "Release {{tag_name}}",
            "Release release-1.5.0rc3",
        );
        case("", true, "{{ version }}", "1.5.0-rc.3");
    }

    #[test]
    fn defaults() {
        let g = group("", false);
        let v = Version::from_str("2.0.0").unwrap();
        let ctx = Context::new(&g, &v, &g.version);
        assert_eq!(ctx.tag_name().unwrap(), "hp-core-v2.0.0");
        assert_eq!(ctx.tag_message().unwrap(), "Release 2.0.0");
        assert_eq!(ctx.commit_message().unwrap(), "Release 2.0.0");
    }

    #[test]
    fn errors() {
        let g = group("", true);
        let ctx = Context::new(&g, &g.version, &g.version);
        assert!(matches!(
            ctx.render("{{nope}}"),
            Err(TemplateError::Unknown { .. })
        ));
        assert!(matches!(
            ctx.render("v{{version"),
            Err(TemplateError::Unclosed { .. })
        ));
    }

    #[test]
    fn dates() {
        assert_eq!(civil_date(0), "1970-01-01");
        assert_eq!(civil_date(20_415), "2025-11-23");
        assert_eq!(civil_date(11_016), "2000-02-29");
    }
}
