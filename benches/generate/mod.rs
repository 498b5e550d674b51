//! Generates large synthetic governance repositories for the benchmarks:
//! every reference resolves, every mapping names a real requirement, and the
//! data is deterministic (a fixed-seed xorshift), so runs are comparable.

use std::fmt::Write as _;
use std::io::Write as _;
use std::path::Path;
use std::process::{Command, Stdio};

/// How much to generate.
#[derive(Clone, Copy, Debug)]
pub struct Size {
    pub teams: usize,
    pub assets: usize,
    pub controls: usize,
    pub findings: usize,
    pub exceptions: usize,
}

/// The size the issues name: 10,000 assets, 300 controls, 200 teams and
/// 2,000 findings.
pub const LARGE: Size = Size {
    teams: 200,
    assets: 10_000,
    controls: 300,
    findings: 2_000,
    exceptions: 500,
};

/// 10,000 assets in the shape of [`HUGE`] (the same 2,000 teams and 1,000
/// controls), so that the two builds differ in their assets alone.
pub const WIDE: Size = Size {
    teams: 2_000,
    assets: 10_000,
    controls: 1_000,
    findings: 2_000,
    exceptions: 500,
};

/// The enterprise scale: 100,000 assets, 2,000 teams, 1,000 controls and
/// 20,000 findings.
pub const HUGE: Size = Size {
    teams: 2_000,
    assets: 100_000,
    controls: 1_000,
    findings: 20_000,
    exceptions: 5_000,
};

/// The size called `name`: `large` ([`LARGE`]), `wide` ([`WIDE`]) or
/// `huge` ([`HUGE`]).
pub fn named(name: &str) -> Option<Size> {
    match name {
        "large" => Some(LARGE),
        "wide" => Some(WIDE),
        "huge" => Some(HUGE),
        _ => None,
    }
}

/// Real leaf requirements of the five default frameworks.
const REQUIREMENTS: &[&str] = &[
    "nist-csf-2.0:GV.OC-01",
    "nist-csf-2.0:GV.RM-04",
    "nist-csf-2.0:GV.PO-01",
    "nist-csf-2.0:GV.SC-04",
    "nist-csf-2.0:ID.AM-02",
    "nist-csf-2.0:ID.RA-03",
    "nist-csf-2.0:ID.IM-01",
    "nist-csf-2.0:PR.AA-05",
    "nist-csf-2.0:PR.PS-01",
    "nist-csf-2.0:PR.IR-03",
    "nist-csf-2.0:DE.AE-03",
    "nist-csf-2.0:RS.MA-04",
    "nist-ai-rmf-1.0:GOVERN 1.1",
    "nist-ai-rmf-1.0:GOVERN 1.7",
    "nist-ai-rmf-1.0:GOVERN 4.1",
    "nist-ai-rmf-1.0:GOVERN 6.2",
    "nist-ai-rmf-1.0:MAP 1.6",
    "nist-ai-rmf-1.0:MAP 3.3",
    "nist-ai-rmf-1.0:MAP 5.2",
    "nist-ai-rmf-1.0:MEASURE 2.3",
    "nist-ai-rmf-1.0:MEASURE 2.9",
    "nist-ai-rmf-1.0:MEASURE 3.2",
    "nist-ai-rmf-1.0:MANAGE 1.2",
    "nist-ai-rmf-1.0:MANAGE 2.4",
    "owasp-nhi-top10-2025:NHI1",
    "owasp-nhi-top10-2025:NHI2",
    "owasp-nhi-top10-2025:NHI3",
    "owasp-nhi-top10-2025:NHI4",
    "owasp-nhi-top10-2025:NHI5",
    "owasp-nhi-top10-2025:NHI6",
    "owasp-nhi-top10-2025:NHI7",
    "owasp-nhi-top10-2025:NHI8",
    "owasp-nhi-top10-2025:NHI9",
    "owasp-nhi-top10-2025:NHI10",
    "owasp-agentic-top10-2026:ASI01",
    "owasp-agentic-top10-2026:ASI02",
    "owasp-agentic-top10-2026:ASI03",
    "owasp-agentic-top10-2026:ASI04",
    "owasp-agentic-top10-2026:ASI05",
    "owasp-agentic-top10-2026:ASI06",
    "owasp-agentic-top10-2026:ASI07",
    "owasp-agentic-top10-2026:ASI08",
    "owasp-agentic-top10-2026:ASI09",
    "owasp-agentic-top10-2026:ASI10",
    "csa-maestro:L1",
    "csa-maestro:L2",
    "csa-maestro:L3",
    "csa-maestro:L4",
    "csa-maestro:L5",
    "csa-maestro:L6",
    "csa-maestro:L7",
];

const KINDS: &[&str] = &[
    "model",
    "agent",
    "llm-app",
    "rag",
    "dataset",
    "nhi",
    "mcp-server",
    "vendor-service",
];
const ENVIRONMENTS: &[&str] = &["production", "production", "staging", "development"];
const RISKS: &[&str] = &["low", "medium", "high", "critical"];
const CHECKS: &[&str] = &[
    "tool-allowlist",
    "step-up",
    "credential-ttl",
    "workload-identity",
    "trust-threshold",
];

struct Rng(u64);

impl Rng {
    fn next(&mut self) -> u64 {
        self.0 ^= self.0 << 13;
        self.0 ^= self.0 >> 7;
        self.0 ^= self.0 << 17;
        self.0
    }

    fn below(&mut self, n: usize) -> usize {
        (self.next() % n as u64) as usize
    }
}

/// Teams 0..3 are governance functions; every twentieth team is a vendor.
fn is_vendor(t: usize) -> bool {
    t % 20 == 19
}

fn team(t: usize) -> String {
    format!("team-{t:03}")
}

/// The n-th internal (non-vendor, non-governance) team, wrapping around.
/// How many teams own the controls.
const CONTROL_OWNERS: usize = 12;

fn internal(size: &Size, n: usize) -> String {
    let pool: Vec<usize> = (3..size.teams).filter(|t| !is_vendor(*t)).collect();
    team(pool[n % pool.len()])
}

fn asset_id(i: usize) -> String {
    format!("asset-{i:05}")
}

/// The accountable owner of asset `i`, which exceptions must name.
fn accountable(size: &Size, i: usize) -> String {
    internal(size, i)
}

fn write(root: &Path, rel: &str, text: &str) -> std::io::Result<()> {
    let path = root.join(rel);
    std::fs::create_dir_all(path.parent().expect("files sit in folders"))?;
    std::fs::write(path, text)
}

/// The text of assets file `f` (50 assets a file); `twist` changes the
/// operator of one asset, with a comment, to make history.
pub fn assets_file(size: &Size, f: usize, twist: usize) -> String {
    let mut rng = Rng(0x9E37_79B9_7F4A_7C15 ^ (f as u64 + 1));
    let mut s = String::new();
    let start = f * 50;
    for i in start..(start + 50).min(size.assets) {
        let kind = KINDS[i % KINDS.len()];
        let environment = ENVIRONMENTS[i % ENVIRONMENTS.len()];
        let risk = RISKS[rng.below(RISKS.len())];
        let _ = writeln!(
            s,
            "[[asset]]\nid = \"{}\"\nname = \"Asset {i}\"\nkind = \"{kind}\"",
            asset_id(i)
        );
        let _ = writeln!(
            s,
            "environment = \"{environment}\"\nrisk = \"{risk}\"\ntags = [\"area-{}\"]",
            i % 7
        );
        if i > 0 && i % 3 == 0 {
            let _ = writeln!(
                s,
                "depends-on = [\"{}\"]",
                asset_id(i - 1 - rng.below(i.min(40)))
            );
        }
        if kind == "vendor-service" {
            let _ = writeln!(
                s,
                "vendor = \"{}\"",
                team(19 + 20 * (i % (size.teams / 20).max(1)))
            );
        }
        let twisted = twist > 0 && i == start + twist % 47;
        let operator = match twisted {
            true => internal(size, i + 7 + twist),
            false => internal(size, i + 1),
        };
        let _ = writeln!(
            s,
            "\n[asset.owners]\naccountable = \"{}\"\noperator = \"{operator}\"\nremediation = \"{}\"\napprover = \"{}\"\nrevoker = \"{}\"\nreviewers = [\"{}\"]\nincident = \"{}\"\nattested = 2026-{:02}-{:02}",
            accountable(size, i),
            internal(size, i + 2),
            internal(size, i + 3),
            internal(size, i + 3),
            team(i % 3),
            internal(size, i + 4),
            7 + i % 5,
            1 + i % 28,
        );
        // An edit changes the length of its file, as edits do, so the
        // assets after it move.
        if twisted {
            let _ = writeln!(s, "# operator reassigned in step {twist}");
        }
        let _ = writeln!(
            s,
            "\n[asset.identity]\ntype = \"workload\"\nspiffe-id = \"spiffe://bench.example/{}\"\nmax-ttl = \"15m\"",
            asset_id(i)
        );
        if matches!(kind, "agent" | "mcp-server" | "llm-app") {
            let _ = writeln!(s, "\n[[asset.tool]]\nid = \"records.read\"\nsystem = \"crm\"\naccess = \"read\"\ndecision = \"allow\"");
            let _ = writeln!(s, "\n[[asset.tool]]\nid = \"records.update\"\nsystem = \"crm\"\naccess = \"write\"\ndecision = \"step-up\"");
        }
        let _ = writeln!(
            s,
            "\n[asset.trust]\nscore = {}\nassessed = 2026-11-01\n",
            60 + rng.below(40)
        );
    }
    s
}

/// Writes a governance repository of `size` below `root/governance`.
pub fn generate(root: &Path, size: &Size) -> std::io::Result<()> {
    let mut rng = Rng(0x2545_F491_4F6C_DD1D);
    write(
        root,
        "governance/governance.toml",
        &format!(
            "[organization]\nname = \"Bench Corp\"\n\n[policy]\nmax-accountable = {}\nexception-approvers = []\ngovernance-functions = [\"governance\"]\n",
            size.assets
        ),
    )?;
    for chunk in 0..size.teams.div_ceil(50) {
        let mut s = String::new();
        for t in chunk * 50..((chunk + 1) * 50).min(size.teams) {
            let kind = if is_vendor(t) { "vendor" } else { "team" };
            let functions = if t < 3 { "governance" } else { "engineering" };
            let _ = writeln!(
                s,
                "[[team]]\nid = \"{}\"\nname = \"Team {t}\"\nkind = \"{kind}\"\nfunctions = [\"{functions}\"]\ncontact = \"team{t}@bench.example\"\nhandle = \"@bench/team-{t}\"\n",
                team(t)
            );
        }
        write(root, &format!("governance/teams/teams-{chunk:02}.toml"), &s)?;
    }
    for f in 0..size.assets.div_ceil(50) {
        write(
            root,
            &format!("governance/assets/area-{f:03}.toml"),
            &assets_file(size, f, 0),
        )?;
    }
    let mut s = String::new();
    for c in 0..size.controls {
        // Controls belong to a dozen teams (security, IAM, platform and the
        // like), as in a real organisation, not to every team.
        let _ = writeln!(s, "[[control]]\nid = \"CTRL-{c:03}\"\ntitle = \"Control {c}\"\nowner = \"{}\"\nseverity = \"{}\"", internal(size, c % CONTROL_OWNERS), RISKS[c % 4]);
        // The first twenty controls apply to everything, so exceptions and
        // findings can name them for any asset.
        if c >= 20 {
            let _ = writeln!(
                s,
                "applies-to = {{ kinds = [\"{}\", \"{}\"], environments = [\"production\"] }}",
                KINDS[c % 8],
                KINDS[(c + 3) % 8]
            );
        }
        let a = REQUIREMENTS[rng.below(REQUIREMENTS.len())];
        let b = REQUIREMENTS[rng.below(REQUIREMENTS.len())];
        let _ = writeln!(
            s,
            "maps-to = [\"{a}\", {{ ref = \"{b}\", coverage = \"partial\" }}]"
        );
        let _ = writeln!(
            s,
            "enforce = [\"{}\"]\nretest-every = \"90d\"\n",
            CHECKS[c % CHECKS.len()]
        );
    }
    write(root, "governance/controls/controls.toml", &s)?;
    let mut s = String::new();
    for e in 0..size.exceptions {
        let i = (e * 19) % size.assets;
        let _ = writeln!(
            s,
            "[[exception]]\nid = \"EXC-{e:04}\"\nasset = \"{}\"\ncontrol = \"CTRL-{:03}\"\napproved-by = \"{}\"\nreason = \"Planned remediation\"\ngranted = 2026-10-01\nexpires = 2027-01-31\n",
            asset_id(i),
            e % 20,
            accountable(size, i)
        );
    }
    write(root, "governance/exceptions/exceptions.toml", &s)?;
    let mut s = String::new();
    for f in 0..size.findings {
        let status = ["open", "remediated", "remediated", "open"][f % 4];
        let _ = writeln!(
            s,
            "[[finding]]\nid = \"F-{f:05}\"\nasset = \"{}\"\ncontrol = \"CTRL-{:03}\"\nopened = 2026-11-{:02}\nstatus = \"{status}\"\nretest-by = 2026-12-15\nsource = \"scanner\"\n",
            asset_id((f * 7) % size.assets),
            f % 20,
            1 + f % 20
        );
    }
    write(root, "governance/findings/findings.toml", &s)
}

fn git(root: &Path) -> Command {
    let mut cmd = Command::new("git");
    cmd.current_dir(root)
        .env("GIT_AUTHOR_NAME", "Bench")
        .env("GIT_AUTHOR_EMAIL", "bench@bench.example")
        .env("GIT_COMMITTER_NAME", "Bench")
        .env("GIT_COMMITTER_EMAIL", "bench@bench.example")
        .env("GIT_AUTHOR_DATE", "2026-01-01T00:00:00Z")
        .env("GIT_COMMITTER_DATE", "2026-01-01T00:00:00Z")
        .args([
            "-c",
            "init.defaultBranch=main",
            "-c",
            "commit.gpgsign=false",
        ]);
    cmd
}

fn run(cmd: &mut Command) -> std::io::Result<()> {
    let status = cmd.stdout(Stdio::null()).status()?;
    if status.success() {
        Ok(())
    } else {
        Err(std::io::Error::other(format!("{cmd:?} failed: {status}")))
    }
}

/// Commits the generated repository, then `commits - 1` more commits, each
/// changing one operator in one assets file, through `git fast-import`.
pub fn history(root: &Path, size: &Size, commits: usize) -> std::io::Result<()> {
    run(git(root).args(["init", "-q"]))?;
    run(git(root).args(["add", "-A"]))?;
    run(git(root).args(["commit", "-qm", "Generate the governance repository"]))?;
    let mut child = git(root)
        .args(["fast-import", "--quiet"])
        .stdin(Stdio::piped())
        .spawn()?;
    let mut stream = String::new();
    let files = size.assets.div_ceil(50);
    for n in 1..commits {
        let f = (n * 37) % files;
        let text = assets_file(size, f, n);
        let time = 1_767_225_600 + n as i64 * 3_600;
        let _ = write!(
            stream,
            "commit refs/heads/main\ncommitter Bench <bench@bench.example> {time} +0000\ndata <<EOM\nChange an operator, step {n}\nEOM\n"
        );
        if n == 1 {
            stream.push_str("from refs/heads/main^0\n");
        }
        let _ = write!(
            stream,
            "M 100644 inline governance/assets/area-{f:03}.toml\ndata {}\n{text}\n",
            text.len()
        );
    }
    child
        .stdin
        .take()
        .expect("stdin is piped")
        .write_all(stream.as_bytes())?;
    let status = child.wait()?;
    if !status.success() {
        return Err(std::io::Error::other("git fast-import failed"));
    }
    run(git(root).args(["reset", "-q", "--hard", "main"]))
}
