//! Role boundaries and hostile input: every forbidden route refused for every role that
//! must not reach it, cross-site posts refused, nasty input stored as text or refused.

use axum::body::Body;
use axum::http::{Request, StatusCode, header};

use crate::helpers::TestApp;

async fn post_anon(
    app: &TestApp,
    path: &str,
    body: &str,
    extra: &[(&str, &str)],
) -> crate::helpers::Page {
    let mut request =
        Request::post(path).header(header::CONTENT_TYPE, "application/x-www-form-urlencoded");
    for (k, v) in extra {
        request = request.header(*k, *v);
    }
    app.send_anon(request.body(Body::from(body.to_string())).expect("request"))
        .await
}

#[tokio::test]
async fn only_the_organizer_reaches_organizer_pages() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = app.create_session("2").await;
    let table = app.join(&code, "1", &["citizen"]).await;

    let home = app.get_anon("/").await;
    assert_eq!(home.status, StatusCode::OK);
    assert!(home.body.contains("/join") && home.body.contains("/signin"));
    assert!(
        !home.body.contains(&facilitator) && !home.body.contains("/curricula/"),
        "no organizer links for strangers"
    );
    for path in [
        "/curricula/mini".to_string(),
        format!("/s/{session_id}/record"),
        format!("/s/{session_id}/audit"),
    ] {
        let page = app.get_anon(&path).await;
        assert_eq!(page.status, StatusCode::FORBIDDEN, "{path}");
        assert!(
            page.body.contains("主催者としてサインイン"),
            "{path}: {}",
            page.body
        );
    }
    let create = post_anon(
        &app,
        "/sessions",
        "curriculum=mini&title=x&held_on=2026-11-30&tables=2",
        &[],
    )
    .await;
    assert_eq!(create.status, StatusCode::FORBIDDEN);
    // The organizer sees everything.
    let home = app.get("/").await;
    assert!(home.body.contains(&facilitator) && home.body.contains("/curricula/mini"));
    let audit = app.get(&format!("/s/{session_id}/audit")).await;
    assert_eq!(audit.status, StatusCode::OK);
    assert!(
        audit.body.contains("session.created")
            && audit.body.contains("table.roster")
            && audit.body.contains("テーブル1")
    );

    // A table's link never opens facilitator or projector pages, nor another table.
    let token = table.trim_start_matches("/t/");
    for path in [
        format!("/f/{token}"),
        format!("/p/{token}"),
        format!("/f/{token}/record"),
        format!("/f/{token}/events"),
    ] {
        assert_eq!(
            app.get_anon(&path).await.status,
            StatusCode::NOT_FOUND,
            "{path}"
        );
    }
    for path in [
        format!("/f/{token}/step"),
        format!("/f/{token}/timer"),
        format!("/f/{token}/close"),
        format!("/f/{token}/spotlight"),
    ] {
        let page = post_anon(&app, &path, "to=1&action=start&confirm=yes&table=1", &[]).await;
        assert_eq!(page.status, StatusCode::NOT_FOUND, "{path}");
    }
    // The projector's link is read-only.
    let projector = app
        .get(&facilitator)
        .await
        .body
        .split("href=\"/p/")
        .nth(1)
        .and_then(|s| s.split('"').next())
        .map(str::to_string)
        .expect("projector key");
    for path in [
        format!("/p/{projector}/step"),
        format!("/p/{projector}/close"),
    ] {
        assert!(
            post_anon(&app, &path, "to=1", &[])
                .await
                .status
                .is_client_error(),
            "{path}"
        );
    }
    assert_eq!(
        app.get_anon(&format!("/f/{projector}")).await.status,
        StatusCode::NOT_FOUND
    );
    // The facilitator's link works without the organizer's sign-in, for its own session only.
    assert_eq!(app.get_anon(&facilitator).await.status, StatusCode::OK);
    assert_eq!(
        app.get_anon(&format!("{facilitator}/record")).await.status,
        StatusCode::OK
    );
}

/// Every organizer-only route, GET or POST, for a real session, an unknown one and a
/// malformed id: a stranger gets the sign-in message before any lookup, so nothing tells
/// them which sessions exist. The facilitator's PDFs and record stay open to its link.
#[tokio::test]
async fn the_organizer_layer_refuses_strangers_before_any_lookup() {
    let app = TestApp::new();
    let (facilitator, _, session) = app.create_session("2").await;
    let gets = [
        "/curricula/mini",
        "/curricula/mini/programme.pdf",
        "/curricula/mini/guide.pdf",
        "/s/{id}/record",
        "/s/{id}/audit",
        "/s/{id}/record.pdf",
        "/s/{id}/report",
        "/s/{id}/report.csv",
        "/s/{id}/report.json",
        "/reports",
        "/reports.csv",
        "/reports.json",
        "/s/{id}/export.json",
        "/s/{id}/conclusions.csv",
        "/s/{id}/tables/1.csv",
        "/s/{id}/roster",
        "/s/{id}/roster/template.csv",
        "/s/{id}/seating",
        "/s/{id}/seating/print",
        "/s/{id}/checkin",
    ];
    let posts = [
        "/sessions",
        "/sessions/import",
        "/s/{id}/purge",
        "/s/{id}/roster/import",
        "/s/{id}/roster/add",
        "/s/{id}/roster/seats",
        "/s/{id}/roster/1/remove",
        "/s/{id}/seating",
        "/s/{id}/seating/move",
        "/s/{id}/checkin/1",
        "/reports/move",
    ];
    for id in [session.as_str(), "no-such-session", "%00..%2F"] {
        for path in gets {
            let path = path.replace("{id}", id);
            let page = app.get_anon(&path).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "GET {path}");
            assert!(page.body.contains("主催者としてサインイン"), "GET {path}");
        }
        for path in posts {
            let path = path.replace("{id}", id);
            let page = post_anon(&app, &path, "confirm=yes&person=1&table=1", &[]).await;
            assert_eq!(page.status, StatusCode::FORBIDDEN, "POST {path}");
        }
    }
    // The same pages open for the organizer; an unknown session is then a plain 404.
    assert_eq!(
        app.get(&format!("/s/{session}/report")).await.status,
        StatusCode::OK
    );
    assert_eq!(
        app.get("/s/no-such-session/report").await.status,
        StatusCode::NOT_FOUND
    );
    // The facilitator's link is its own guard.
    for path in ["record", "record.pdf", "guide.pdf"] {
        assert_eq!(
            app.get_anon(&format!("{facilitator}/{path}")).await.status,
            StatusCode::OK,
            "{path}"
        );
    }
}

#[tokio::test]
async fn sign_in_sets_a_safe_cookie_and_wrong_secrets_are_refused() {
    let app = TestApp::new();
    let wrong = post_anon(&app, "/signin", "secret=nope", &[]).await;
    assert_eq!(wrong.status, StatusCode::FORBIDDEN);
    assert!(wrong.body.contains("違います"));
    let code = app.state.organizer.code().expect("code").to_string();
    let response = app
        .router
        .clone()
        .oneshot_request(
            Request::post("/signin")
                .header(header::CONTENT_TYPE, "application/x-www-form-urlencoded")
                .body(Body::from(format!("secret={code}")))
                .expect("request"),
        )
        .await;
    assert_eq!(response.status(), StatusCode::SEE_OTHER);
    let cookie = response.headers()[header::SET_COOKIE]
        .to_str()
        .expect("ascii")
        .to_string();
    assert!(
        cookie.contains("HttpOnly") && cookie.contains("SameSite=Strict"),
        "{cookie}"
    );
    let value = cookie
        .split(';')
        .next()
        .and_then(|kv| kv.split_once('='))
        .map(|(_, v)| v)
        .expect("value");
    assert_eq!(value.len(), 32, "128 random bits");
    assert!(value.bytes().all(|b| b.is_ascii_hexdigit()));
}

#[tokio::test]
async fn posts_from_other_sites_are_refused() {
    let app = TestApp::new();
    let (facilitator, _, _) = app.create_session("1").await;
    let evil = post_anon(
        &app,
        &format!("{facilitator}/step"),
        "to=1",
        &[
            ("origin", "http://evil.example"),
            ("host", "127.0.0.1:8080"),
        ],
    )
    .await;
    assert_eq!(evil.status, StatusCode::FORBIDDEN);
    assert!(evil.body.contains("ほかのサイト"));
    let cross = post_anon(
        &app,
        &format!("{facilitator}/step"),
        "to=1",
        &[("sec-fetch-site", "cross-site")],
    )
    .await;
    assert_eq!(cross.status, StatusCode::FORBIDDEN);
    let same = post_anon(
        &app,
        &format!("{facilitator}/step"),
        "to=1",
        &[
            ("origin", "http://127.0.0.1:8080"),
            ("host", "127.0.0.1:8080"),
            ("sec-fetch-site", "same-origin"),
        ],
    )
    .await;
    assert_eq!(same.status, StatusCode::SEE_OTHER);
}

#[tokio::test]
async fn hostile_input_is_stored_as_text_or_refused() {
    let app = TestApp::new();
    let title = "'; DROP TABLE session; -- {{ 7*7 }} <script>x()</script>";
    let created = app
        .post(
            "/sessions",
            &[
                ("curriculum", "mini"),
                ("title", title),
                ("held_on", "2026-11-30"),
                ("place", "\u{202E}evil"),
                ("tables", "1"),
            ],
        )
        .await;
    assert_eq!(created.status, StatusCode::SEE_OTHER);
    let facilitator = created.location.expect("facilitator");
    let page = app.get(&facilitator).await.body;
    assert!(
        page.contains("DROP TABLE session")
            && page.contains("{{ 7*7 }}")
            && page.contains("&lt;script&gt;")
    );
    assert!(
        !page.contains('\u{202E}'),
        "bidirectional overrides are removed"
    );
    assert_eq!(
        app.get("/").await.status,
        StatusCode::OK,
        "the sessions table is still there"
    );

    for path in [
        "/t/..%2F..%2Fetc%2Fpasswd",
        "/assets/..%2FCargo.toml",
        "/assets/../Cargo.toml",
        "/curricula/..%2F..%2Fsrc",
        "/f/%00",
    ] {
        let page = app.get(path).await;
        assert!(
            page.status == StatusCode::NOT_FOUND || page.status == StatusCode::BAD_REQUEST,
            "{path}: {}",
            page.status
        );
        assert!(!page.body.contains("[package]"));
    }
    // Invalid UTF-8 in a form: a clear page, nothing stored.
    let (facilitator, code, _) = app.create_session("1").await;
    let table = app.join(&code, "1", &["citizen"]).await;
    app.goto(&facilitator, 2).await;
    let broken = app
        .post_raw(
            &format!("{table}/answer"),
            b"prompt=curriculum%3Amini%3Aq-wish&base=0&text=%FF%FE%FD".to_vec(),
        )
        .await;
    assert_eq!(broken.status, StatusCode::UNPROCESSABLE_ENTITY);
    assert!(broken.body.contains("読み取れませんでした"));
    let control = app
        .post(
            &format!("{table}/answer"),
            &[
                ("prompt", "curriculum:mini:q-wish"),
                ("base", "0"),
                ("text", "ok\u{0000}\u{0008}\u{2066}です"),
            ],
        )
        .await;
    assert_eq!(control.status, StatusCode::SEE_OTHER);
    let screen = app.get(&table).await.body;
    assert!(
        screen.contains("okです</textarea>"),
        "control characters removed"
    );
}

/// `oneshot` returning the raw response, for header checks.
trait OneshotRequest {
    async fn oneshot_request(self, request: Request<Body>) -> axum::response::Response;
}

impl OneshotRequest for axum::Router {
    async fn oneshot_request(self, request: Request<Body>) -> axum::response::Response {
        tower::ServiceExt::oneshot(self, request)
            .await
            .expect("response")
    }
}

#[tokio::test]
async fn script_in_a_content_file_never_reaches_a_page() {
    let dir = crate::helpers::fixture_copy();
    let case = dir.path().join("cases/mini-case.md");
    let text = std::fs::read_to_string(&case)
        .expect("case")
        .replace("食事量が減ってきた。", "食事量が減ってきた。<script>alert(1)</script><img src=x onerror=alert(2)> [リンク](javascript:alert(3))");
    std::fs::write(&case, text).expect("write");
    let app = TestApp::with(
        acp_workbook::db::Db::open_in_memory().expect("db"),
        dir.path(),
    );
    let (facilitator, code, _) = app.create_session("1").await;
    let table = app.join(&code, "1", &["citizen"]).await;
    app.goto(&facilitator, 1).await;
    assert!(app.get(&table).await.body.contains("食事量が減ってきた"));
    for page in [app.get(&table).await, app.get(&facilitator).await] {
        for bad in ["alert(1)", "onerror", "javascript:alert"] {
            assert!(!page.body.contains(bad), "{bad} reached the page");
        }
    }
}

#[tokio::test]
async fn the_organizer_can_purge_free_text_and_keep_the_numbers() {
    let app = TestApp::new();
    let (facilitator, code, session_id) = app.create_session("1").await;
    let table = app.join(&code, "1", &["citizen"]).await;
    app.goto(&facilitator, 2).await;
    app.post(
        &format!("{table}/answer"),
        &[
            ("prompt", "curriculum:mini:q-wish"),
            ("base", "0"),
            ("text", "山田さんの長男は反対"),
        ],
    )
    .await;
    app.post(
        &format!("{table}/answer"),
        &[
            ("prompt", "curriculum:mini:q-wish"),
            ("base", "1"),
            ("text", "山田さんの長男は賛成"),
        ],
    )
    .await;
    app.post(
        &format!("{table}/answer"),
        &[
            ("prompt", "curriculum:mini:q-conf"),
            ("base", "0"),
            ("value", "4"),
        ],
    )
    .await;
    let purge = format!("/s/{session_id}/purge");
    assert_eq!(
        app.post(&purge, &[("confirm", "yes")]).await.status,
        StatusCode::CONFLICT,
        "an open session is not purged"
    );
    app.post(&format!("{facilitator}/close"), &[("confirm", "yes")])
        .await;
    assert_eq!(
        app.post(&purge, &[]).await.status,
        StatusCode::BAD_REQUEST,
        "needs the confirmation"
    );
    assert_eq!(
        post_anon(&app, &purge, "confirm=yes", &[]).await.status,
        StatusCode::FORBIDDEN,
        "organizer only"
    );
    assert_eq!(
        app.post(&purge, &[("confirm", "yes")]).await.status,
        StatusCode::SEE_OTHER
    );
    let record = app.get(&format!("/s/{session_id}/record")).await.body;
    assert!(
        !record.contains("山田さん"),
        "free text is gone from every version"
    );
    assert!(
        record.contains("<strong>4</strong> / 5"),
        "the scale answer stays"
    );
    let id = session_id.clone();
    let left: i64 = app
        .state
        .db
        .write_blocking(move |conn| {
            Ok(conn.query_row(
                "SELECT count(*) FROM conclusion c JOIN session_table t ON t.id = c.table_id WHERE t.session_id = ?1 AND c.answer LIKE '%山田%'",
                [&id],
                |r| r.get(0),
            )?)
        })
        .expect("count");
    assert_eq!(left, 0);
    // Outside a purge, conclusions still cannot be changed.
    let changed = app
        .state
        .db
        .write_blocking(|conn| Ok(conn.execute("UPDATE conclusion SET answer = '{}'", [])?));
    assert!(changed.is_err());
    assert!(
        app.get(&format!("/s/{session_id}/audit"))
            .await
            .body
            .contains("session.purged")
    );
}
