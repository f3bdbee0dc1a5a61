//! Unit tests, one group per rule: a Dockerfile that triggers the rule
//! (line and column asserted) and close ones that must stay silent. Each
//! group names the BuildKit source it follows (moby/buildkit at 73ed6825;
//! most cases come from `frontend/dockerfile/dockerfile_check_test.go`).
//!
//! Expected text: one line per warning, `LINE:COLUMN Rule: message` where
//! LINE:COLUMN is where the diagnostic's span starts, followed by
//! `[lines A-B]` when BuildKit's line range differs from that line; then
//! `error: ...` when the lint fails.

use std::collections::BTreeMap;
use std::fmt::Write as _;

use layerlab_syntax::LineIndex;

use super::*;

fn render(src: &str, r: &LintReport) -> String {
    let idx = LineIndex::new(src);
    let mut s = String::new();
    for w in &r.warnings {
        let p = idx.position(w.span.start);
        let _ = write!(s, "{}:{} {}: {}", p.line, p.column, w.rule, w.message);
        if (w.line, w.end_line) != (p.line, p.line) {
            let _ = write!(s, " [lines {}-{}]", w.line, w.end_line);
        }
        s.push('\n');
    }
    if let Some(e) = &r.error {
        let _ = writeln!(s, "error: {}", e.message);
    }
    s
}

#[track_caller]
fn check_with(input: &str, opts: &LintOptions<'_>, expected: &str) {
    let r = lint_source(input, opts);
    let got = render(input, &r);
    assert_eq!(
        got.trim(),
        expected.trim(),
        "\ninput:\n{input}\ngot:\n{got}\nexpected:\n{expected}\n"
    );
}

#[track_caller]
fn check(input: &str, expected: &str) {
    check_with(input, &LintOptions::default(), expected);
}

#[test]
fn every_rule_is_listed_once_with_its_text() {
    assert_eq!(rules().len(), 22);
    let mut names: Vec<&str> = rules().iter().map(|r| r.name).collect();
    crate::shared_sort::sort(&mut names);
    names.dedup();
    assert_eq!(names.len(), 22);
    for r in rules() {
        assert!(
            !r.description.is_empty() && !r.how_to_fix.is_empty(),
            "{}",
            r.name
        );
    }
    let experimental: Vec<&str> = rules()
        .iter()
        .filter(|r| r.experimental)
        .map(|r| r.name)
        .collect();
    assert_eq!(experimental, ["InvalidDefinitionDescription"]);
}

// parse.go: ParseInstructionWithLinter, isLowerCaseStageName;
// dockerfile_check_test.go testStageName.
#[test]
fn stage_name_casing() {
    check(
        "FROM scratch AS BadStageName\nFROM scratch AS base3\n",
        "1:17 StageNameCasing: Stage name 'BadStageName' should be lowercase",
    );
    check("FROM scratch AS build-2\n", "");
    // Any third word is checked, even when the second is not AS (then the
    // FROM is an error), and so is the second word's case.
    check(
        "FROM a b C\n",
        "1:8 FromAsCasing: 'b' and 'FROM' keywords' casing do not match\n\
         1:10 StageNameCasing: Stage name 'C' should be lowercase\n\
         error: dockerfile parse error on line 1: FROM requires either one or three arguments",
    );
}

// parse.go: doesFromCaseMatchAsCase; testStageName.
#[test]
fn from_as_casing() {
    check(
        "FROM scratch as base2\n",
        "1:14 FromAsCasing: 'as' and 'FROM' keywords' casing do not match",
    );
    check(
        "from scratch AS base\n",
        "1:14 FromAsCasing: 'AS' and 'from' keywords' casing do not match",
    );
    check("from scratch as base2\n", "");
    check("FROM scratch AS b\n", "");
    // A mixed-case FROM is ConsistentInstructionCasing's business.
    check(
        "From scratch as base\nFROM scratch AS base2\n",
        "1:1 ConsistentInstructionCasing: Command 'From' should match the case of the command majority (uppercase)",
    );
}

// parser.go: Parse's empty continuation warning (reported on the last line
// of the instruction); testNoEmptyContinuation.
#[test]
fn no_empty_continuation() {
    check(
        "\nFROM scratch\n# warning: empty continuation line\nCOPY Dockerfile \\\n\n.\nCOPY Dockerfile \\\n.\n",
        "5:1 NoEmptyContinuation: Empty continuation line [lines 6-6]",
    );
    check("FROM scratch\nRUN a \\\n# comment\n  b\n", "");
}

// validations.go: validateCommandCasing; testConsistentInstructionCasing.
#[test]
fn consistent_instruction_casing() {
    check(
        "\nFROM scratch\ncopy Dockerfile /foo\nCOPY Dockerfile /bar\n",
        "3:1 ConsistentInstructionCasing: Command 'copy' should match the case of the command majority (uppercase)",
    );
    check(
        "\nfrom scratch\nCOPY Dockerfile /foo\ncopy Dockerfile /bar\n",
        "3:1 ConsistentInstructionCasing: Command 'COPY' should match the case of the command majority (lowercase)",
    );
    check(
        "frOM scratch as base\nfrom scratch as base2\n",
        "1:1 ConsistentInstructionCasing: Command 'frOM' should match the case of the command majority (lowercase)",
    );
    check(
        "from scratch\ncopy Dockerfile /foo\ncopy Dockerfile /bar\n",
        "",
    );
    // Global ARGs before the first FROM are not counted or checked.
    check("arg A=1\narg B=2\nFROM scratch\nCOPY a /a\n", "");
    // A tie goes to uppercase.
    check(
        "from scratch\nRUN x\n",
        "1:1 ConsistentInstructionCasing: Command 'from' should match the case of the command majority (uppercase)",
    );
    check("FROM alpine\nRUN <<'EOT'\nenv\nEOT\n", "");
}

// validations.go: validateStageNames; testDuplicateStageName.
#[test]
fn duplicate_stage_name() {
    check(
        "\nFROM scratch AS b\nFROM scratch AS b\n",
        "3:17 DuplicateStageName: Duplicate stage name \"b\", stage names should be unique",
    );
    check("FROM scratch AS b1\nFROM scratch AS b2\n", "");
    // Names compare in lower case.
    check(
        "FROM scratch AS base\nFROM scratch AS BASE\n",
        "2:17 DuplicateStageName: Duplicate stage name \"base\", stage names should be unique\n\
         2:17 StageNameCasing: Stage name 'BASE' should be lowercase",
    );
}

// validations.go: validateStageNames, reservedStageNames; testReservedStageName.
#[test]
fn reserved_stage_name() {
    check(
        "\nFROM scratch AS scratch\nFROM scratch AS context\n",
        "2:17 ReservedStageName: Stage name should not use the same name as reserved stage \"scratch\"\n\
         3:17 ReservedStageName: Stage name should not use the same name as reserved stage \"context\"",
    );
    check(
        "FROM scratch\nFROM scratch AS a\nFROM alpine AS scratchpad\n",
        "",
    );
}

// convert.go: dispatchCmd, dispatchEntrypoint; testJSONArgsRecommended.
#[test]
fn json_args_recommended() {
    check(
        "FROM scratch\nCMD mycommand\n",
        "2:1 JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
    );
    check(
        "FROM scratch\nENTRYPOINT mycommand\n",
        "2:1 JSONArgsRecommended: JSON arguments recommended for ENTRYPOINT to prevent unintended behavior related to OS signals",
    );
    // Invalid JSON falls back to the shell form.
    check(
        "FROM scratch\nCMD [echo, hi]\n",
        "2:1 JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
    );
    check(
        "FROM scratch\nSHELL [\"/usr/bin/customshell\"]\nCMD mycommand\n",
        "",
    );
    // SHELL is inherited from the stage built on.
    check(
        "FROM scratch AS base\nSHELL [\"/usr/bin/customshell\"]\n\nFROM base\nENTRYPOINT mycommand\n",
        "",
    );
    // RUN and HEALTHCHECK are not checked.
    check(
        "FROM scratch\nRUN x\nHEALTHCHECK CMD wget -q localhost\n",
        "",
    );
    // ... nor when the base image sets a SHELL.
    let mut images = BTreeMap::new();
    images.insert(
        "pwsh".to_string(),
        BaseImage {
            config: crate::image::ImageConfig {
                shell: Some(vec!["pwsh".into(), "-c".into()]),
                ..Default::default()
            },
            platform: None,
        },
    );
    let opts = LintOptions {
        images: Some(&images),
        ..LintOptions::default()
    };
    check_with("FROM pwsh\nCMD Get-Date\n", &opts, "");
}

// parse.go: ParseInstructionWithLinter (MAINTAINER); testMaintainerDeprecated.
#[test]
fn maintainer_deprecated() {
    check(
        "FROM scratch\nMAINTAINER me@example.org\n",
        "2:1 MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label",
    );
    check(
        "FROM scratch\nLABEL org.opencontainers.image.authors=\"me@example.org\"\n",
        "",
    );
    check(
        "FROM scratch\n# check=skip=MaintainerDeprecated\nMAINTAINER me@example.org\n",
        "",
    );
}

// convert.go: buildDispatchStates, reportUnusedFromArgs; testUndeclaredArg.
#[test]
fn undefined_arg_in_from() {
    check(
        "FROM alpine:${TAG:-3.20}\n",
        "1:13 UndefinedArgInFrom: FROM argument 'TAG' is not declared",
    );
    check(
        "ARG tag=latest\nFROM busybox:${tag}${version} AS b\n",
        "2:20 UndefinedArgInFrom: FROM argument 'version' is not declared",
    );
    check(
        "FROM --platform=$BULIDPLATFORM scratch\n",
        "1:17 UndefinedArgInFrom: FROM argument 'BULIDPLATFORM' is not declared (did you mean BUILDPLATFORM?)\n\
         error: empty platform value from expression $BULIDPLATFORM (did you mean BUILDPLATFORM?)",
    );
    check(
        "ARG MY_OS=linux\nARG MY_ARCH=amd64\nFROM --platform=linux/${MYARCH} busybox\n",
        "3:23 UndefinedArgInFrom: FROM argument 'MYARCH' is not declared (did you mean MY_ARCH?)\n\
         error: failed to parse platform linux/${MYARCH}: \"\" is an invalid component of \"linux/\": platform specifier component must match \"^[A-Za-z0-9_.-]+$\": invalid argument (did you mean MY_ARCH?)",
    );
    check("ARG base=scratch\nFROM $base\n", "");
    check("FROM --platform=$BUILDPLATFORM scratch\n", "");
    check("ARG DEBUG\nFROM scratch${DEBUG}\n", "");
    check("ARG DEBUG\nFROM scra${DEBUG:-tch}\n", "");
    check("ARG DEBUG=\"\"\nFROM scratch${DEBUG-@bogus}\n", "");
}

// convert.go: dispatchWorkdir; testWorkdirRelativePath.
#[test]
fn workdir_relative_path() {
    check(
        "FROM scratch\nWORKDIR app/\n",
        "2:9 WorkdirRelativePath: Relative workdir \"app/\" can have unexpected results if the base image changes",
    );
    check(
        "FROM scratch AS a\nWORKDIR /app\n\nFROM a AS b\nWORKDIR subdir/\n",
        "",
    );
    check(
        "FROM scratch\n# check=skip=WorkdirRelativePath\nWORKDIR app/\n",
        "",
    );
    // The path is checked after expansion.
    check("FROM scratch\nENV D=/srv\nWORKDIR $D\n", "");
}

// convert.go: dispatch, reportUnmatchedVariables; testUnmatchedVars.
#[test]
fn undefined_var() {
    check(
        "FROM alpine\nCOPY $foo .\nARG foo=bar\nRUN echo $foo\n",
        "2:6 UndefinedVar: Usage of undefined variable '$foo'",
    );
    check(
        "FROM alpine\nARG DIR_BINARIES=binaries/\nARG DIR_ASSETS=assets/\nCOPY $DIR_ASSET .\n",
        "4:6 UndefinedVar: Usage of undefined variable '$DIR_ASSET' (did you mean $DIR_ASSETS?)",
    );
    check(
        "FROM alpine\nENV PATH=$PAHT:/tmp/bin\n",
        "2:10 UndefinedVar: Usage of undefined variable '$PAHT' (did you mean $PATH?)",
    );
    check("FROM scratch\nARG foo\nCOPY Dockerfile${foo} .\n", "");
    check(
        "FROM alpine AS base\nARG foo=Dockerfile\n\nFROM base\nCOPY $foo .\n",
        "",
    );
    check(
        "FROM alpine\nRUN echo $PATH $NOPE\nCMD [\"echo\", \"$NOPE\"]\n",
        "",
    );
    // A global ARG must be declared again inside the stage.
    check(
        "ARG G=1\nFROM alpine\nENV X=$G\n",
        "3:7 UndefinedVar: Usage of undefined variable '$G'",
    );
    // ENV values do not see keys set by the same instruction.
    check(
        "FROM alpine\nENV A=1 B=${A}\n",
        "2:11 UndefinedVar: Usage of undefined variable '$A'",
    );
    // RUN --mount options and expanding COPY heredocs are checked.
    check(
        "FROM alpine\nRUN --mount=type=cache,target=$CACHE echo\nCOPY <<EOF /x\n$BODY\nEOF\nCOPY <<'EOF' /y\n$RAW\nEOF\n",
        "2:31 UndefinedVar: Usage of undefined variable '$CACHE'\n\
         4:1 UndefinedVar: Usage of undefined variable '$BODY' [lines 3-5]",
    );
    // A variable the base image defines is known.
    let mut images = BTreeMap::new();
    images.insert(
        "python:3".to_string(),
        BaseImage {
            config: crate::image::ImageConfig {
                env: vec!["PYTHON_VERSION=3.12".into()],
                ..Default::default()
            },
            platform: None,
        },
    );
    let opts = LintOptions {
        images: Some(&images),
        ..LintOptions::default()
    };
    check_with("FROM python:3\nARG VERSION=$PYTHON_VERSION\n", &opts, "");
    check(
        "FROM python:3\nARG VERSION=$PYTHON_VERSION\n",
        "2:13 UndefinedVar: Usage of undefined variable '$PYTHON_VERSION'",
    );
}

// validations.go: validateUsedOnce; testMultipleInstructionsDisallowed.
#[test]
fn multiple_instructions_disallowed() {
    check(
        "\nFROM scratch\nENTRYPOINT [\"/myapp\"]\nENTRYPOINT [\"/myotherapp\"]\nCMD [\"/myapp\"]\nCMD [\"/myotherapp\"]\nHEALTHCHECK CMD [\"/myapp\"]\nHEALTHCHECK CMD [\"/myotherapp\"]\n",
        "3:1 MultipleInstructionsDisallowed: Multiple ENTRYPOINT instructions should not be used in the same stage because only the last one will be used\n\
         5:1 MultipleInstructionsDisallowed: Multiple CMD instructions should not be used in the same stage because only the last one will be used\n\
         7:1 MultipleInstructionsDisallowed: Multiple HEALTHCHECK instructions should not be used in the same stage because only the last one will be used",
    );
    check(
        "FROM scratch AS a\nENTRYPOINT [\"/myapp\"]\nCMD [\"/myapp\"]\n\nFROM a AS b\nENTRYPOINT [\"/x\"]\nCMD [\"/x\"]\n",
        "",
    );
    check("FROM alpine\nHEALTHCHECK CMD true\nHEALTHCHECK NONE\n", "2:1 MultipleInstructionsDisallowed: Multiple HEALTHCHECK instructions should not be used in the same stage because only the last one will be used");
}

// convert.go: dispatchEnv, dispatchLabel; testLegacyKeyValueFormat.
#[test]
fn legacy_key_value_format() {
    check(
        "\nFROM scratch\nENV testkey value\nLABEL key value\n",
        "3:5 LegacyKeyValueFormat: \"ENV key=value\" should be used instead of legacy \"ENV key value\" format\n\
         4:7 LegacyKeyValueFormat: \"LABEL key=value\" should be used instead of legacy \"LABEL key value\" format",
    );
    check(
        "FROM scratch\nENV testkey=value\nLABEL key=value\nARG a\n",
        "",
    );
    check(
        "FROM scratch\n# check=skip=LegacyKeyValueFormat\nENV testkey value\n# check=skip=LegacyKeyValueFormat\nLABEL key value\n",
        "",
    );
    // The keyword is quoted as written.
    check(
        "from scratch\nenv a b\n",
        "2:5 LegacyKeyValueFormat: \"env key=value\" should be used instead of legacy \"env key value\" format",
    );
}

// convert.go: resolveBaseImage, validateBaseImagePlatform;
// testBaseImagePlatformMismatch.
#[test]
fn invalid_base_image_platform() {
    let mut images = BTreeMap::new();
    images.insert(
        "arm-only".to_string(),
        BaseImage {
            config: Default::default(),
            platform: Some("linux/arm64".into()),
        },
    );
    let opts = LintOptions {
        images: Some(&images),
        ..LintOptions::default()
    };
    check_with(
        "FROM arm-only\nENV foo=bar\n",
        &opts,
        "1:1 InvalidBaseImagePlatform: Base image arm-only was pulled with platform \"linux/arm64\", expected \"linux/amd64\" for current build",
    );
    let opts = LintOptions {
        images: Some(&images),
        platform: Some("linux/arm64".into()),
        ..LintOptions::default()
    };
    check_with("FROM arm-only\nENV foo=bar\n", &opts, "");
    // Without image data the base is empty: nothing to compare.
    check("FROM arm-only\n", "");
}

// validations.go: reportRedundantTargetPlatform; testRedundantTargetPlatform.
#[test]
fn redundant_target_platform() {
    check(
        "FROM --platform=$TARGETPLATFORM scratch\n",
        "1:6 RedundantTargetPlatform: Setting platform to predefined $TARGETPLATFORM in FROM is redundant as this is the default behavior",
    );
    check(
        "FROM --platform=${TARGETPLATFORM} scratch\n",
        "1:6 RedundantTargetPlatform: Setting platform to predefined ${TARGETPLATFORM} in FROM is redundant as this is the default behavior",
    );
    check(
        "# check=skip=RedundantTargetPlatform\nFROM --platform=$TARGETPLATFORM scratch\n",
        "",
    );
    check("FROM --platform=$BUILDPLATFORM scratch\n", "");
    check("FROM --platform=${TARGETOS}/${TARGETARCH} scratch\n", "");
}

// validations.go: validateNoSecretKey, getSecretsRegex;
// testSecretsUsedInArgOrEnv.
#[test]
fn secrets_used_in_arg_or_env() {
    check(
        "# check=skip=InvalidDefinitionDescription\n\nFROM scratch\nARG SECRET_PASSPHRASE\nENV SUPER_Secret=foo\nENV password=bar secret=baz\nARG super_duper_secret_token=foo auth=bar\nENV apikey=bar sunflower=foo\nENV git_key=\nENV PUBLIC_KEY=\nARG public_token\nARG SECRET_PASSPHRASE_FILE\nENV password_file=bar secret_File=baz\nARG AUTH_MODULE_VERSION\n# check=skip=SecretsUsedInArgOrEnv // allow secret in environment\nENV password=bar\n# check=skip=SecretsUsedInArgOrEnv // allow secret in arg\nARG password\n# check=skip=all // is local to only this instruction\nENV alternate_password=bar\n# check=skip=all // is local to only this instruction\nARG alternate_password\n",
        "4:5 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG \"SECRET_PASSPHRASE\")\n\
         5:5 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV \"SUPER_Secret\")\n\
         6:5 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV \"password\")\n\
         6:18 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV \"secret\")\n\
         7:34 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG \"auth\")\n\
         7:5 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ARG \"super_duper_secret_token\")\n\
         8:5 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV \"apikey\")\n\
         9:5 SecretsUsedInArgOrEnv: Do not use ARG or ENV instructions for sensitive data (ENV \"git_key\")",
    );
    // Global ARGs are not checked.
    check("ARG DB_PASSWORD\nFROM scratch\n", "");
    check(
        "FROM scratch\nENV KEYBOARD=us\nARG MONKEY=1\nLABEL token=x\n",
        "",
    );
}

// validations.go: validateBaseImagesWithDefaultArgs;
// testInvalidDefaultArgInFrom.
#[test]
fn invalid_default_arg_in_from() {
    let mut build_args = BTreeMap::new();
    build_args.insert("VERSION".to_string(), "latest".to_string());
    let opts = LintOptions {
        build_args,
        ..LintOptions::default()
    };
    // Invalid with the defaults, fine with the build argument.
    check_with(
        "\nARG VERSION\nFROM busybox:$VERSION\n",
        &opts,
        "3:6 InvalidDefaultArgInFrom: Default value for ARG busybox:$VERSION results in empty or invalid base image name",
    );
    check(
        "ARG SFX=\"box:\"\nFROM busy${SFX}\n",
        "2:6 InvalidDefaultArgInFrom: Default value for ARG busy${SFX} results in empty or invalid base image name\n\
         error: failed to parse stage name \"busybox:\": invalid reference format",
    );
    check(
        "ARG IMG\nFROM ${IMG}\n",
        "2:6 InvalidDefaultArgInFrom: Default value for ARG ${IMG} results in empty or invalid base image name\n\
         error: base name (${IMG}) should not be blank",
    );
    check("ARG VERSION=\"latest\"\nFROM busybox:${VERSION}\n", "");
    check(
        "ARG BUSYBOX_VARIANT=\"\"\nFROM busybox:stable${BUSYBOX_VARIANT}\n",
        "",
    );
    check(
        "ARG BUSYBOX_VARIANT\nFROM busybox:stable${BUSYBOX_VARIANT}\n",
        "",
    );
}

// validations.go: reportConstPlatformDisallowed;
// testFromPlatformFlagConstDisallowed.
#[test]
fn from_platform_flag_const_disallowed() {
    check(
        "\nFROM --platform=linux/amd64 scratch\n",
        "2:6 FromPlatformFlagConstDisallowed: FROM --platform flag should not use constant value \"linux/amd64\"",
    );
    check(
        "FROM --platform=linux/amd64 scratch AS my_amd64_stage\n",
        "",
    );
    check("FROM --platform=linux/amd64 scratch AS linux\n", "");
    check("ARG P=linux/amd64\nFROM --platform=$P scratch\n", "");
}

// validations.go: validateCopySourcePath; testCopyIgnoredFiles,
// testCopyIgnoredFileContextRoot.
#[test]
fn copy_ignored_file() {
    let ignore = |s: &str| LintOptions {
        dockerignore: Some(read_dockerignore(s)),
        ..LintOptions::default()
    };
    check_with(
        "\nFROM scratch\nCOPY Dockerfile .\nADD Dockerfile /windy\n",
        &ignore("\nDockerfile\n"),
        "3:6 CopyIgnoredFile: Attempting to Copy file \"Dockerfile\" that is excluded by .dockerignore\n\
         4:5 CopyIgnoredFile: Attempting to Add file \"Dockerfile\" that is excluded by .dockerignore",
    );
    check_with(
        "# check=skip=CopyIgnoredFile\n\nFROM scratch\nCOPY Dockerfile .\n",
        &ignore("Dockerfile\n"),
        "",
    );
    // COPY --from reads a stage, not the context.
    check_with(
        "FROM scratch AS base\nCOPY Dockerfile /foobar\n\nFROM base\nCOPY --from=base /foobar /Dockerfile\n",
        &ignore("foobar\n"),
        "",
    );
    // Exceptions disable the check.
    check_with(
        "FROM scratch\nCOPY ./Dockerfile .\n",
        &ignore("**\n!Dockerfile\n"),
        "",
    );
    // The context root only when everything at the root is ignored.
    check_with("FROM scratch\nCOPY . .\n", &ignore(".*\n"), "");
    check_with(
        "FROM scratch\nCOPY . .\n",
        &ignore("*\n"),
        "2:6 CopyIgnoredFile: Attempting to Copy file \".\" that is excluded by .dockerignore",
    );
    // A parent directory that is ignored counts; the path is cleaned.
    check_with(
        "FROM scratch\nCOPY ./tmp/a.txt /a\n",
        &ignore("tmp\n"),
        "2:6 CopyIgnoredFile: Attempting to Copy file \"tmp/a.txt\" that is excluded by .dockerignore",
    );
    // Without a .dockerignore nothing is checked.
    check("FROM scratch\nCOPY Dockerfile .\n", "");
}

// parse.go: validateDefinitionDescription; testDefinitionDescription.
#[test]
fn invalid_definition_description() {
    check(
        "# check=skip=all;experimental=InvalidDefinitionDescription\n# foo this is the foo\nARG foo=bar\n\n# base this is the base image\nFROM scratch AS base\n\n# version this is the version number\nARG version=latest\n\n# baz this is the baz\nARG foo=baz bar=qux baz=quux\n#\nARG bit=bat\n\n# comment for something other than ARG or FROM\nCOPY Dockerfile .\n",
        "",
    );
    check(
        "# check=experimental=InvalidDefinitionDescription\n# bar this is the bar\nARG foo=bar\n# BasE this is the BasE image\nFROM scratch AS base\n# definitely a bad comment\nARG version=latest\n# definitely a bad comment\nARG foo=baz bar=qux baz=quux\n",
        "3:1 InvalidDefinitionDescription: Comment for ARG should follow the format: `# foo <description>`\n\
         5:1 InvalidDefinitionDescription: Comment for FROM should follow the format: `# base <description>`\n\
         7:1 InvalidDefinitionDescription: Comment for ARG should follow the format: `# version <description>`\n\
         9:1 InvalidDefinitionDescription: Comment for ARG should follow the format: `# <arg_key> <description>`",
    );
    // Off by default.
    check("# a comment\nFROM scratch AS base\n", "");
}

// convert_expose.go: parsePort; testExposeProtoCasing.
#[test]
fn expose_proto_casing() {
    check(
        "\nFROM scratch\nEXPOSE 80/TcP 8080/TCP 8080/udp\n",
        "3:8 ExposeProtoCasing: Defined protocol '80/TcP' in EXPOSE instruction should be lowercase\n\
         3:15 ExposeProtoCasing: Defined protocol '8080/TCP' in EXPOSE instruction should be lowercase",
    );
    check("FROM scratch\nEXPOSE 80/tcp 53/udp 8000-8010\n", "");
}

// convert_expose.go: parsePort; testExposeInvalidFormat.
#[test]
fn expose_invalid_format() {
    check(
        "\nFROM scratch\nEXPOSE 127.0.0.1:80:80 [::1]:8080:8080 5000:5000 8000\n",
        "3:8 ExposeInvalidFormat: EXPOSE instruction should not define an IP address or host-port mapping, found '127.0.0.1:80:80'\n\
         3:40 ExposeInvalidFormat: EXPOSE instruction should not define an IP address or host-port mapping, found '5000:5000'\n\
         3:24 ExposeInvalidFormat: EXPOSE instruction should not define an IP address or host-port mapping, found '[::1]:8080:8080'",
    );
    check(
        "FROM scratch\nEXPOSE 80/foo\n",
        "error: invalid port: \"80/foo\": invalid proto: foo",
    );
}

// linter.go: ParseLintOptions, WithMergedConfigFromComments, Error;
// testRuleCheckOption.
#[test]
fn check_directive() {
    check(
        "#check=skip=all\nFROM scratch as base\ncopy Dockerfile .\n",
        "",
    );
    check(
        "#check=skip=all;error=true\nFROM scratch as base\ncopy Dockerfile .\n",
        "",
    );
    check(
        "#check=skip=ConsistentInstructionCasing;error=true\nFROM scratch as base\ncopy Dockerfile .\n",
        "2:14 FromAsCasing: 'as' and 'FROM' keywords' casing do not match\n\
         error: lint violation found for rules: FromAsCasing",
    );
    // The build argument replaces the directive.
    let opts = LintOptions {
        check: Some("skip=ConsistentInstructionCasing;error=true".into()),
        ..LintOptions::default()
    };
    check_with(
        "#check=skip=all\nFROM scratch as base\ncopy Dockerfile .\n",
        &opts,
        "2:14 FromAsCasing: 'as' and 'FROM' keywords' casing do not match\n\
         error: lint violation found for rules: FromAsCasing",
    );
    // A comment does not turn error on.
    check(
        "FROM scratch\n# check=error=true\nCMD x\n",
        "3:1 JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
    );
    check(
        "# check=bogus\nFROM scratch\n",
        "error: failed to parse check options: invalid check option \"bogus\"",
    );
    check(
        "# check=error=yes\nFROM scratch\n",
        "error: failed to parse check options: failed to parse check option \"error=yes\": strconv.ParseBool: parsing \"yes\": invalid syntax",
    );
}

// parse.go (instructions.Parse errors); testWarningsBeforeError.
#[test]
fn warnings_before_errors() {
    check(
        "\nFROM scratch AS BadStageName\nMAINTAINER me@example.org\nBADCMD\n",
        "2:17 StageNameCasing: Stage name 'BadStageName' should be lowercase\n\
         3:1 MaintainerDeprecated: Maintainer instruction is deprecated in favor of using label\n\
         error: dockerfile parse error on line 4: unknown instruction: BADCMD",
    );
    check(
        "FROM scratch\nFRM x\n",
        "error: dockerfile parse error on line 2: unknown instruction: FRM (did you mean FROM?)",
    );
    check(
        "FROM scratch\nCOPY --form=x a b\n",
        "error: dockerfile parse error on line 2: unknown flag: --form (did you mean from?)",
    );
    check("", "error: the Dockerfile cannot be empty");
    check("ARG A\n", "error: dockerfile contains no stages to build");
    check("RUN x\n", "error: no build stage in current context");
    check(
        "FROM a\nCOPY --from=b /x /y\nFROM alpine AS b\n",
        "error: cannot copy from stage \"b\", it needs to be defined before current stage \"stage-0\"",
    );
    check(
        "FROM a AS x\nCOPY --from=x /x /y\n",
        "error: circular dependency detected on stage: x",
    );
    check(
        "FROM a\nCOPY --from=$X /x /y\n",
        "error: variable expansion is not supported for --from, define a new stage with FROM using ARG from global scope as a workaround",
    );
    check(
        "FROM a\nCOPY --from=Bad: /x /y\n",
        "error: failed to parse stage name \"Bad:\": invalid reference format: repository name (library/Bad) must be lowercase",
    );
    check(
        "FROM a\nSTOPSIGNAL SIGFOO\n",
        "error: Invalid signal: SIGFOO",
    );
    check("FROM a\nSTOPSIGNAL sigkill\nSTOPSIGNAL 9\n", "");
    check(
        "FROM a\nRUN --network=foo x\n",
        "error: dockerfile parse error on line 2: invalid network mode \"foo\"",
    );
    check(
        "FROM a\nRUN --mount=type=bind,mode=0700 x\n",
        "error: mode not allowed for \"bind\" type mounts",
    );
    check(
        "FROM a\nCOPY http://x/y /z\n",
        "error: source can't be a URL for COPY",
    );
    check(
        "FROM a\nHEALTHCHECK --interval=5 CMD true\n",
        "error: dockerfile parse error on line 2: time: missing unit in duration \"5\"",
    );
    check(
        "FROM a\nHEALTHCHECK --timeout=10us CMD true\n",
        "error: dockerfile parse error on line 2: Interval \"timeout\" cannot be less than 1ms",
    );
    check(
        "FROM a\nHEALTHCHECK --interval=1m30s --retries=3 CMD true\n",
        "",
    );
    check(
        "FROM a\nHEALTHCHECK --retries=-1 CMD true\n",
        "error: dockerfile parse error on line 2: --retries cannot be negative (-1)",
    );
}

// convert.go: initOnBuildTriggers; triggers of a stage run in the stages
// built on it, located at the child's FROM.
#[test]
fn onbuild_triggers_run_in_child_stages() {
    check(
        "FROM alpine AS base\nONBUILD CMD echo hi\nFROM base\n",
        "3:1 JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
    );
    check("FROM alpine AS base\nONBUILD CMD [\"x\"]\nFROM base\n", "");
}

#[test]
fn target_and_platform_options() {
    let opts = LintOptions {
        target: Some("nope".into()),
        ..LintOptions::default()
    };
    check_with(
        "FROM a AS build\nFROM b AS final\n",
        &opts,
        "error: target stage \"nope\" could not be found",
    );
    // With a target, only the stages it needs are walked (parse-time and
    // stage checks still cover the whole file).
    let opts = LintOptions {
        target: Some("b".into()),
        ..LintOptions::default()
    };
    let src = "FROM alpine AS A\nCMD echo a\nFROM alpine AS b\nCMD [\"b\"]\n";
    check_with(
        src,
        &opts,
        "1:16 StageNameCasing: Stage name 'A' should be lowercase",
    );
    check(
        src,
        "1:16 StageNameCasing: Stage name 'A' should be lowercase\n\
         2:1 JSONArgsRecommended: JSON arguments recommended for CMD to prevent unintended behavior related to OS signals",
    );
    let opts = LintOptions {
        target: Some("buidl".into()),
        ..LintOptions::default()
    };
    check_with(
        "FROM a AS build\n",
        &opts,
        "error: target stage \"buidl\" could not be found (did you mean build?)",
    );
}

#[test]
fn spans_point_at_the_fault() {
    let src = "FROM alpine\nENV A=$NOPE\n";
    let r = lint_source(src, &LintOptions::default());
    let w = &r.warnings[0];
    assert_eq!(&src[w.span.start..w.span.end], "$NOPE");
    assert_eq!(w.how_to_fix, rules::undefined_var::RULE.how_to_fix);
    let src = "FROM alpine:3.20 as Build\n";
    let r = lint_source(src, &LintOptions::default());
    let texts: Vec<&str> = r
        .warnings
        .iter()
        .map(|w| &src[w.span.start..w.span.end])
        .collect();
    assert_eq!(texts, ["as", "Build"]);
}

#[test]
fn lint_of_a_parsed_file_matches_lint_source() {
    let src =
        "from alpine as Build\nMAINTAINER x\nENV A 1\nWORKDIR rel\nCMD echo hi\nEXPOSE 80/TCP\n";
    let Ok(file) = layerlab_syntax::parse(src) else {
        panic!("parse failed")
    };
    assert_eq!(
        lint(&file, src, &LintOptions::default()),
        lint_source(src, &LintOptions::default())
    );
}
