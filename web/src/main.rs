//! LayerLab in the browser: a Dockerfile playground.
//!
//! A thin Yew front end: it holds the edited files and shows what the engine
//! says about them. Docker semantics live in `layerlab-syntax` and
//! `layerlab-engine`, never here.

mod project;

use std::rc::Rc;

use project::{line_count, tree_rows, Project};
use web_sys::HtmlTextAreaElement;
use yew::prelude::*;

fn main() {
    yew::Renderer::<App>::new().render();
}

/// The whole page: header, file list, editor and results.
#[function_component(App)]
fn app() -> Html {
    let project = use_state(|| Rc::new(Project::sample()));
    let selected = use_state(|| 0_usize);

    let on_select = {
        let selected = selected.clone();
        Callback::from(move |index: usize| selected.set(index))
    };
    let on_edit = {
        let project = project.clone();
        let index = *selected;
        Callback::from(move |contents: String| {
            project.set(Rc::new(project.with_contents(index, contents)))
        })
    };

    html! {
        <div class="app">
            <header class="topbar">
                <div class="brand">
                    <h1>{ "LayerLab" }</h1>
                    <span class="tagline">{ "Dockerfile playground" }</span>
                </div>
                <div class="project-name" title="Sample project">
                    <span class="muted">{ "Sample: " }</span>
                    { "ASP.NET Core · " }
                    <code>{ project.name.clone() }</code>
                </div>
            </header>
            <main class="workspace">
                <FileList project={(*project).clone()} selected={*selected} {on_select} />
                <Editor project={(*project).clone()} selected={*selected} {on_edit} />
                <Results />
            </main>
            <footer class="statusbar">
                { "Runs entirely in your browser: no Docker engine, no server, no network." }
            </footer>
        </div>
    }
}

/// Properties of the file list.
#[derive(Properties, PartialEq)]
struct FileListProps {
    project: Rc<Project>,
    selected: usize,
    on_select: Callback<usize>,
}

/// The build context: every file of the project, the selected one marked.
#[function_component(FileList)]
fn file_list(props: &FileListProps) -> Html {
    html! {
        <nav class="pane files" aria-label="Build context">
            <div class="pane-title">{ "Build context" }</div>
            <ul>
                { for tree_rows(&props.project.files).into_iter().map(|row| {
                    let style = format!("--depth: {}", row.depth);
                    match row.file {
                        None => html! {
                            <li class="dir" {style}>{ row.label }</li>
                        },
                        Some(index) => {
                            let on_select = props.on_select.clone();
                            let selected = index == props.selected;
                            html! {
                                <li {style}>
                                    <button
                                        class={classes!("file", selected.then_some("selected"))}
                                        title={props.project.files[index].path.clone()}
                                        aria-current={selected.then_some("true")}
                                        onclick={Callback::from(move |_| on_select.emit(index))}
                                    >
                                        { row.label }
                                    </button>
                                </li>
                            }
                        }
                    }
                }) }
            </ul>
        </nav>
    }
}

/// Properties of the editor pane.
#[derive(Properties, PartialEq)]
struct EditorProps {
    project: Rc<Project>,
    selected: usize,
    on_edit: Callback<String>,
}

/// A plain-text editor with line numbers for the selected file.
#[function_component(Editor)]
fn editor(props: &EditorProps) -> Html {
    let Some(file) = props.project.files.get(props.selected) else {
        return html! { <section class="pane editor" /> };
    };
    let lines = line_count(&file.contents);
    let oninput = {
        let on_edit = props.on_edit.clone();
        Callback::from(move |event: InputEvent| {
            let area: HtmlTextAreaElement = event.target_unchecked_into();
            on_edit.emit(area.value());
        })
    };
    html! {
        <section class="pane editor" aria-label="Editor">
            <div class="pane-title">
                <span class="path">{ file.path.clone() }</span>
                <span class="muted">{ format!("{} lines", file.contents.lines().count()) }</span>
            </div>
            <div class="editor-body">
                <pre class="gutter" aria-hidden="true">
                    { (1..=lines).map(|n| n.to_string()).collect::<Vec<_>>().join("\n") }
                </pre>
                <textarea
                    class="code"
                    aria-label={format!("Contents of {}", file.path)}
                    spellcheck="false"
                    autocomplete="off"
                    autocapitalize="off"
                    wrap="off"
                    rows={(lines + 1).to_string()}
                    value={file.contents.clone()}
                    {oninput}
                />
            </div>
        </section>
    }
}

/// Where the build, the layers and `docker run` will be shown.
#[function_component(Results)]
fn results() -> Html {
    html! {
        <section class="pane results" aria-label="Results">
            <div class="pane-title">{ "Build" }</div>
            <div class="terminal">
                <div class="prompt">{ "$ docker build -t aspnetapp ." }</div>
                <p class="placeholder">
                    { "Build results will appear here: every step, whether it ran or was " }
                    <code>{ "CACHED" }</code>
                    { " and why, what each layer adds, and what " }
                    <code>{ "docker run" }</code>
                    { " will execute." }
                </p>
            </div>
        </section>
    }
}
