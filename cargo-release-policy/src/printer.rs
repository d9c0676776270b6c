//! All output: the one [`Printer`] a run makes from the global arguments writes every status
//! line, warning, report, diff and JSON document, and owns the spinners.
//!
//! Lower modules return text or data; the checklist runner, which streams lines while its
//! checks run, takes the printer.

use std::io::IsTerminal as _;
use std::time::Duration;

use serde::Serialize;

use crate::cli::{ColorChoice, Format, GlobalArgs};
use crate::style::GOOD;

/// Where and how a run writes: colour (through [`anstream`]'s global choice), `--quiet`,
/// `--verbose`, and `--format`. One per run, lent to whatever writes (not `Copy`: there is
/// one place output goes through, and it may come to hold state, as a shared lock on stderr).
#[derive(Debug)]
pub(crate) struct Printer {
    quiet: bool,
    verbose: u8,
    format: Format,
    /// With `--format json`: the errors printed on stderr so far, for the document's
    /// `errors` (a group left out, a tag that does not match: what no finding says).
    errors: std::sync::Mutex<Vec<ErrorJson>>,
}

/// An error the run reported and went on, as a JSON document lists it.
#[derive(Debug, Clone, Serialize)]
pub(crate) struct ErrorJson {
    pub message: String,
    pub help: Option<String>,
}

impl Printer {
    /// The printer of a run. Sets `--color` as anstream's global choice: its streams read it,
    /// and so does the error `main` prints after the run.
    pub(crate) fn new(global: &GlobalArgs) -> Printer {
        anstream::ColorChoice::write_global(match global.color {
            ColorChoice::Auto => anstream::ColorChoice::Auto,
            ColorChoice::Always => anstream::ColorChoice::Always,
            ColorChoice::Never => anstream::ColorChoice::Never,
        });
        Printer {
            quiet: global.quiet,
            verbose: global.verbose,
            format: global.format,
            errors: std::sync::Mutex::new(Vec::new()),
        }
    }

    /// The errors reported so far (with `--format json`; none otherwise), taken.
    pub(crate) fn take_errors(&self) -> Vec<ErrorJson> {
        self.errors
            .lock()
            .map(|mut errors| std::mem::take(&mut *errors))
            .unwrap_or_default()
    }

    pub(crate) fn quiet(&self) -> bool {
        self.quiet
    }

    pub(crate) fn verbose(&self) -> u8 {
        self.verbose
    }

    /// Whether the output is the JSON documents (`--format json`).
    pub(crate) fn json_format(&self) -> bool {
        self.format == Format::Json
    }

    /// Text for stderr that `--quiet` silences.
    pub(crate) fn info(&self, text: &str) {
        if !self.quiet {
            self.err(text);
        }
    }

    /// A `Compiling`-style status line on stderr.
    pub(crate) fn status(&self, verb: &str, message: &str) {
        self.info(&status_line(verb, message));
    }

    /// An `error: …` without a source line, with its help (not the run's own error: a
    /// failure the command reports and goes on).
    pub(crate) fn error(&self, title: &str, help: Option<&str>) {
        if self.json_format() {
            if let Ok(mut errors) = self.errors.lock() {
                errors.push(ErrorJson {
                    message: title.to_string(),
                    help: help.map(ToString::to_string),
                });
            }
        }
        self.err(&crate::diagnostic::plain(title, help));
    }

    /// A `warning: …` without a source line, with its help; `--quiet` silences it.
    pub(crate) fn warning(&self, title: &str, help: Option<&str>) {
        self.info(&crate::diagnostic::plain_warning(title, help));
    }

    /// A JSON document on stdout.
    pub(crate) fn json<T: Serialize + ?Sized>(&self, document: &T) {
        let text = serde_json::to_string_pretty(document).unwrap_or_default();
        self.out(&format!("{text}\n"));
    }

    /// The progress shown while loading (see [`Progress`]): a spinner with `message`, and
    /// once the files to read are counted, a bar of them (never an empty `0/0` bar).
    pub(crate) fn progress(&self, message: &'static str) -> Progress {
        if self.quiet || self.json_format() || !std::io::stderr().is_terminal() {
            return Progress(None);
        }
        let bar =
            indicatif::ProgressBar::with_draw_target(None, indicatif::ProgressDrawTarget::hidden());
        bar.set_style(spinner_style());
        bar.set_message(message);
        let shown = bar.clone();
        std::thread::spawn(move || {
            std::thread::sleep(PROGRESS_DELAY);
            if shown.is_finished() {
                return;
            }
            shown.set_draw_target(indicatif::ProgressDrawTarget::stderr());
            shown.enable_steady_tick(Duration::from_millis(100));
            let mut counted = false;
            while !shown.is_finished() {
                if let Some((done, total)) = crate::load::progress::counts() {
                    if !counted {
                        shown.set_style(bar_style());
                        shown.set_length(total as u64);
                        counted = true;
                    }
                    shown.set_position(done as u64);
                }
                std::thread::sleep(Duration::from_millis(50));
            }
        });
        Progress(Some(bar))
    }

    /// Spinners for tasks run one after another (the checklist's checks).
    pub(crate) fn tasks(&self) -> Tasks {
        Tasks((!self.quiet && std::io::stderr().is_terminal()).then(indicatif::MultiProgress::new))
    }
}

// The writers read nothing of the printer but are its methods all the same: output goes
// through the run's printer, and nowhere else.
#[allow(clippy::unused_self)]
impl Printer {
    /// The command's result on stdout: a report, a diff, a version.
    pub(crate) fn out(&self, text: &str) {
        write(&mut anstream::stdout(), text);
    }

    /// Text for stderr that is printed even with `--quiet` (failures).
    pub(crate) fn err(&self, text: &str) {
        write(&mut anstream::stderr(), text);
    }
}

/// `    Verb message`, the verb right-aligned and green as cargo's.
pub(crate) fn status_line(verb: &str, message: &str) -> String {
    format!("{GOOD}{verb:>12}{GOOD:#} {message}\n")
}

fn write(stream: &mut impl std::io::Write, text: &str) {
    let _ = stream.write_all(text.as_bytes());
    let _ = stream.flush();
}

/// An indicatif spinner on stderr while loading: on a terminal only, and only once the work
/// has taken long enough to be worth showing (a quick `check` in a hook prints nothing).
#[derive(Debug)]
pub(crate) struct Progress(Option<indicatif::ProgressBar>);

/// The spinner while nothing is counted yet: `⠋ reading manifests`.
fn spinner_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template("{spinner:.green} {msg}")
        .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner())
}

/// The bar once the files are counted: `reading manifests [=====>    ] 12,345/30,001 files`.
fn bar_style() -> indicatif::ProgressStyle {
    indicatif::ProgressStyle::with_template(
        "{spinner:.green} {msg} [{bar:30.green}] {human_pos}/{human_len} files ({eta})",
    )
    .map_or_else(
        |_| indicatif::ProgressStyle::default_bar(),
        |style| style.progress_chars("=> "),
    )
}

/// How long loading runs before the spinner appears.
const PROGRESS_DELAY: Duration = Duration::from_millis(300);

impl Progress {
    pub(crate) fn finish(self) {
        if let Some(bar) = self.0 {
            bar.finish_and_clear();
        }
    }
}

/// The spinners of tasks run in turn: on a terminal and without `--quiet` only.
#[derive(Debug)]
pub(crate) struct Tasks(Option<indicatif::MultiProgress>);

impl Tasks {
    /// A spinner for the task `name`, showing how long it runs; `None` when there are no
    /// spinners (the caller prints a line instead).
    pub(crate) fn spinner(&self, name: &str) -> Option<Spinner> {
        let multi = self.0.as_ref()?;
        let bar = multi.add(indicatif::ProgressBar::new_spinner());
        bar.set_style(
            indicatif::ProgressStyle::with_template(
                "{spinner:.green} {prefix:.bold} {elapsed} {wide_msg:.dim}",
            )
            .unwrap_or_else(|_| indicatif::ProgressStyle::default_spinner()),
        );
        bar.set_prefix(name.to_string());
        bar.enable_steady_tick(Duration::from_millis(100));
        Some(Spinner(bar))
    }
}

/// One task's spinner.
#[derive(Debug)]
pub(crate) struct Spinner(indicatif::ProgressBar);

impl Spinner {
    /// Show `message` beside the task's name (the last line of its output).
    pub(crate) fn set_message(&self, message: String) {
        self.0.set_message(message);
    }

    /// The task ended: the spinner goes away.
    pub(crate) fn finish(&self) {
        self.0.finish_and_clear();
    }
}
