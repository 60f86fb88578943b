//! Concurrent page views against one server. Its own test binary, so that, as in production,
//! the process serves one portal: with several test servers in one process, a few concurrent
//! SSR requests were seen to stall (see the note on the skeleton issue).
#![allow(clippy::unwrap_used)]

mod common;

use common::TestApp;

#[tokio::test]
async fn the_home_page_survives_concurrent_requests() {
    let app = TestApp::spawn().await;
    let mut tasks = Vec::new();
    for i in 0..200 {
        let client = app.client.clone();
        let url = app.url("/");
        let lang = if i % 2 == 0 { "en" } else { "zh-CN" };
        tasks.push(tokio::spawn(async move {
            let res = client.get(url).header("Accept-Language", lang).send().await.unwrap();
            (res.status().as_u16(), res.text().await.unwrap())
        }));
    }
    for task in tasks {
        let (status, html) = task.await.unwrap();
        assert_eq!(status, 200);
        assert!(html.contains("<title>"), "a title on every page");
    }
}
