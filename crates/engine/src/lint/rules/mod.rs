//! BuildKit's build checks as data: one module per rule, each with the
//! rule's name, description, documentation address, an offline "how to
//! fix" text and the function that words its message exactly as BuildKit
//! (`frontend/dockerfile/linter/ruleset.go` at 73ed6825) does.

pub mod consistent_instruction_casing;
pub mod copy_ignored_file;
pub mod duplicate_stage_name;
pub mod expose_invalid_format;
pub mod expose_proto_casing;
pub mod from_as_casing;
pub mod from_platform_flag_const_disallowed;
pub mod invalid_base_image_platform;
pub mod invalid_default_arg_in_from;
pub mod invalid_definition_description;
pub mod json_args_recommended;
pub mod legacy_key_value_format;
pub mod maintainer_deprecated;
pub mod multiple_instructions_disallowed;
pub mod no_empty_continuation;
pub mod redundant_target_platform;
pub mod reserved_stage_name;
pub mod secrets_used_in_arg_or_env;
pub mod stage_name_casing;
pub mod undefined_arg_in_from;
pub mod undefined_var;
pub mod workdir_relative_path;

/// A build check, as data.
#[derive(Debug, Clone, Copy, PartialEq, Eq, serde::Serialize)]
pub struct Rule {
    /// BuildKit's rule name (`StageNameCasing`), used in `# check=skip=`.
    pub name: &'static str,
    /// BuildKit's one-line description of the rule.
    pub description: &'static str,
    /// BuildKit's documentation address (empty when BuildKit has none).
    pub url: &'static str,
    /// A short explanation of how to fix a violation, readable offline.
    pub how_to_fix: &'static str,
    /// Experimental rules run only when `# check=experimental=` names them.
    pub experimental: bool,
    /// Deprecated rules never run.
    pub deprecated: bool,
}

/// Every rule, in the order BuildKit's `ruleset.go` declares them.
pub const ALL: [&Rule; 22] = [
    &stage_name_casing::RULE,
    &from_as_casing::RULE,
    &no_empty_continuation::RULE,
    &consistent_instruction_casing::RULE,
    &duplicate_stage_name::RULE,
    &reserved_stage_name::RULE,
    &json_args_recommended::RULE,
    &maintainer_deprecated::RULE,
    &undefined_arg_in_from::RULE,
    &workdir_relative_path::RULE,
    &undefined_var::RULE,
    &multiple_instructions_disallowed::RULE,
    &legacy_key_value_format::RULE,
    &invalid_base_image_platform::RULE,
    &redundant_target_platform::RULE,
    &secrets_used_in_arg_or_env::RULE,
    &invalid_default_arg_in_from::RULE,
    &from_platform_flag_const_disallowed::RULE,
    &copy_ignored_file::RULE,
    &invalid_definition_description::RULE,
    &expose_proto_casing::RULE,
    &expose_invalid_format::RULE,
];

/// The rule called `name` (exact, case-sensitive as BuildKit compares).
pub fn by_name(name: &str) -> Option<&'static Rule> {
    ALL.iter().copied().find(|r| r.name == name)
}
