//! Serving: photos without metadata for enterprise users and the original for
//! bureau users, byte ranges, and who may download at all.

use super::{hazard_with, private_files, upload_with, world};
use crate::helpers::{TestApp, TestUser, on_each_backend_with};
use reqwest::StatusCode;
use serde_json::Value;

fn segment(marker: u8, payload: &[u8]) -> Vec<u8> {
    let mut v = vec![0xFF, marker];
    v.extend_from_slice(&u16::try_from(payload.len() + 2).unwrap().to_be_bytes());
    v.extend_from_slice(payload);
    v
}

/// A baseline JPEG as a phone writes it: JFIF, an Exif block with a GPS IFD and
/// the camera's serial number, quantisation, frame, Huffman table, one scan.
fn photo_with_gps() -> Vec<u8> {
    let mut exif = b"Exif\0\0MM\0\x2A\0\0\0\x08".to_vec();
    exif.extend_from_slice(b"\0\x02\x88\x25\0\x04\0\0\0\x01\0\0\0\x26\xA4\x31\0\x02\0\0\0\x08\0\0\0\x40");
    exif.extend_from_slice(b"GPSLatitude N 30 35 12 GPSLongitude E 114 16 48 BodySerialNumber SN-4417");
    let mut v = vec![0xFF, 0xD8];
    v.extend(segment(0xE0, b"JFIF\0\x01\x01\x01\0\x48\0\x48\0\0"));
    v.extend(segment(0xE1, &exif));
    v.extend(segment(0xDB, &[[0u8].as_slice(), &[16u8; 64]].concat()));
    v.extend(segment(0xC0, b"\x08\0\x08\0\x08\x01\x01\x11\0"));
    v.extend(segment(0xC4, &[[0u8].as_slice(), &[0, 1], &[0; 14], &[0]].concat()));
    v.extend(segment(0xDA, b"\x01\x01\0\0\x3F\0"));
    v.extend_from_slice(b"\xF8\x00\xA2\x8A\xFF\x00\x28\x03");
    v.extend_from_slice(&[0xFF, 0xD9]);
    v
}

/// The marker of each segment before the first scan.
fn markers_before_scan(jpeg: &[u8]) -> Vec<u8> {
    assert_eq!(&jpeg[..2], &[0xFF, 0xD8], "starts with SOI");
    let (mut i, mut markers) = (2, Vec::new());
    loop {
        assert_eq!(jpeg[i], 0xFF, "a marker at {i}");
        let marker = jpeg[i + 1];
        markers.push(marker);
        if marker == 0xDA {
            return markers;
        }
        i += 2 + usize::from(u16::from_be_bytes([jpeg[i + 2], jpeg[i + 3]]));
    }
}

async fn download(app: &TestApp, u: &TestUser, id: i64, range: Option<&str>) -> reqwest::Response {
    let mut req = app.client.get(app.url(&format!("/api/v1/attachments/{id}"))).bearer_auth(&u.token);
    if let Some(r) = range {
        req = req.header("range", r);
    }
    req.send().await.unwrap()
}

#[tokio::test]
async fn enterprise_users_get_the_photo_without_exif_while_a_regulator_gets_the_original() {
    let (_files, settings) = private_files();
    on_each_backend_with(settings, |app| async move {
        let w = world(&app).await;
        let original = photo_with_gps();
        let fields = [("latitude", "30.5866"), ("longitude", "114.28"), ("accuracy_m", "6"), ("device", "fzr 的手机")];
        let (status, up) = upload_with(&app, &w.principal, "现场.jpg", original.clone(), &fields).await;
        assert_eq!(status, StatusCode::CREATED, "{up}");
        let id = up["id"].as_i64().unwrap();
        let h = hazard_with(&app, &w, &[id]).await;
        assert_eq!(h["attachments"][0]["owner_type"], "hazard");
        let report_step = {
            use anjian::entities::hazard_event::{Column, Entity};
            use sea_orm::{ColumnTrait, EntityTrait, QueryFilter};
            let e = Entity::find().filter(Column::HazardId.eq(h["id"].as_i64().unwrap())).one(app.state.db.conn());
            e.await.unwrap().unwrap()
        };
        assert_eq!(report_step.action, "report");
        assert_eq!(h["attachments"][0]["step_id"], report_step.id, "the report step named it: {h}");

        for u in [&w.officer, &w.principal] {
            let res = download(&app, u, id, Some("bytes=0-9")).await;
            assert_eq!(res.status(), StatusCode::OK, "a stripped photo comes whole");
            assert_eq!(res.headers()["accept-ranges"], "none");
            let etag = res.headers()["etag"].to_str().unwrap().to_owned();
            let bytes = res.bytes().await.unwrap().to_vec();
            assert!(!markers_before_scan(&bytes).contains(&0xE1), "no APP1 segment");
            assert!(!bytes.windows(4).any(|x| x == b"Exif" || x == b"GPSL"), "no Exif data anywhere");
            assert!(bytes.ends_with(&[0xFF, 0xD9]), "still ends with EOI");
            assert_eq!(markers_before_scan(&bytes), [0xE0, 0xDB, 0xC0, 0xC4, 0xDA]);
            assert_ne!(etag, format!("\"{}\"", up["sha256"].as_str().unwrap()));
        }
        let res = download(&app, &w.reg, id, None).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["etag"].to_str().unwrap(), format!("\"{}\"", up["sha256"].as_str().unwrap()));
        assert_eq!(res.bytes().await.unwrap().as_ref(), original.as_slice(), "the regulator gets the original");

        let (_, seen_by_officer) = app.get(&w.officer.token, &format!("/api/v1/hazards/{}", h["id"])).await;
        let (_, seen_by_reg) = app.get(&w.reg.token, &format!("/api/v1/hazards/{}", h["id"])).await;
        assert_eq!(seen_by_officer["attachments"][0]["latitude"], Value::Null, "no position for another employee");
        assert_eq!(seen_by_officer["attachments"][0]["device"], Value::Null);
        assert_eq!(seen_by_reg["attachments"][0]["latitude"], 30.5866);
        assert_eq!(seen_by_reg["attachments"][0]["device"], "fzr 的手机");
    })
    .await;
}

#[tokio::test]
async fn ranges_return_the_exact_slice_and_416_outside_the_file() {
    let (_files, settings) = private_files();
    on_each_backend_with(settings, |app| async move {
        let w = world(&app).await;
        let pdf = b"%PDF-1.7\n0123456789abcdefghij\n%%EOF\n".to_vec();
        let len = pdf.len();
        let (_, up) = upload_with(&app, &w.principal, "整改方案.pdf", pdf.clone(), &[]).await;
        let id = up["id"].as_i64().unwrap();
        hazard_with(&app, &w, &[id]).await;
        for (range, first, last) in [("bytes=9-18", 9, 18), ("bytes=30-", 30, len - 1), ("bytes=-6", len - 6, len - 1)]
        {
            for u in [&w.reg, &w.officer] {
                let res = download(&app, u, id, Some(range)).await;
                assert_eq!(res.status(), StatusCode::PARTIAL_CONTENT, "{range}");
                assert_eq!(res.headers()["content-range"], format!("bytes {first}-{last}/{len}").as_str());
                assert_eq!(res.bytes().await.unwrap().as_ref(), &pdf[first..=last]);
            }
        }
        let res = download(&app, &w.reg, id, Some(&format!("bytes={len}-"))).await;
        assert_eq!(res.status(), StatusCode::RANGE_NOT_SATISFIABLE);
        assert_eq!(res.headers()["content-range"], format!("bytes */{len}").as_str());
        let res = download(&app, &w.reg, id, None).await;
        assert_eq!(res.status(), StatusCode::OK);
        assert_eq!(res.headers()["accept-ranges"], "bytes");
        assert_eq!(res.bytes().await.unwrap().as_ref(), pdf.as_slice());
    })
    .await;
}

#[tokio::test]
async fn only_the_uploader_sees_an_unlinked_file_and_another_enterprise_never_does() {
    let (_files, settings) = private_files();
    on_each_backend_with(settings, |app| async move {
        let w = world(&app).await;
        let (_, up) =
            upload_with(&app, &w.principal, "a.png", b"\x89PNG\r\n\x1a\n\0\0\0\0IEND\xAE\x42\x60\x82".to_vec(), &[])
                .await;
        let id = up["id"].as_i64().unwrap();
        assert_eq!(download(&app, &w.principal, id, None).await.status(), StatusCode::OK, "the uploader");
        for u in [&w.officer, &w.reg, &w.stranger] {
            assert_eq!(download(&app, u, id, None).await.status(), StatusCode::NOT_FOUND, "unlinked");
        }
        hazard_with(&app, &w, &[id]).await;
        assert_eq!(download(&app, &w.officer, id, None).await.status(), StatusCode::OK, "same enterprise");
        assert_eq!(download(&app, &w.reg, id, None).await.status(), StatusCode::OK, "supervising bureau");
        assert_eq!(download(&app, &w.stranger, id, None).await.status(), StatusCode::NOT_FOUND, "another enterprise");
        let (status, err) = app.get(&w.stranger.token, &format!("/api/v1/attachments/{id}")).await;
        assert_eq!((status, &err["error"]["code"]), (StatusCode::NOT_FOUND, &Value::from("not_found")));
    })
    .await;
}

#[tokio::test]
async fn a_photo_the_stripper_cannot_follow_is_withheld_from_enterprise_users_only() {
    let (_files, settings) = private_files();
    on_each_backend_with(settings, |app| async move {
        let w = world(&app).await;
        // A segment length that runs into text: no JPEG reader could show it, and we could not vouch for it.
        let broken = b"\xFF\xD8\xFF\xE0\x00\x10JFIF\x00photo-bytes".to_vec();
        let (_, up) = upload_with(&app, &w.principal, "坏.jpg", broken.clone(), &[]).await;
        let id = up["id"].as_i64().unwrap();
        hazard_with(&app, &w, &[id]).await;
        let (status, err) = app.get(&w.officer.token, &format!("/api/v1/attachments/{id}")).await;
        assert_eq!(status, StatusCode::UNPROCESSABLE_ENTITY);
        assert_eq!(err["error"]["code"], "image_unreadable");
        let res = download(&app, &w.reg, id, None).await;
        assert_eq!(res.bytes().await.unwrap().as_ref(), broken.as_slice(), "the bureau still gets the original");
    })
    .await;
}
