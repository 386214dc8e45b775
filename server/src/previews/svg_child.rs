//! The child's side of the SVG rasteriser (`gosync render-svg`, run in the sandbox): resvg
//! draws the drawing to fit a box, with nothing outside the file ever loaded: images are
//! taken only from `data:` URLs inside it, never from a path or an address.

use std::path::Path;

use resvg::{tiny_skia, usvg};

/// Renders the SVG in `input` to a PNG in `output` that fits a `size` box.
pub fn run(input: &Path, output: &Path, size: u32) -> Result<(), String> {
    let data = std::fs::read(input).map_err(|_| "the drawing could not be read".to_owned())?;
    let mut options = usvg::Options {
        resources_dir: None,
        ..usvg::Options::default()
    };
    // Embedded images only: a path or URL in an `href` is never followed.
    options.image_href_resolver = usvg::ImageHrefResolver {
        resolve_data: usvg::ImageHrefResolver::default_data_resolver(),
        resolve_string: Box::new(|_, _| None),
    };
    options.fontdb_mut().load_system_fonts();
    let tree = usvg::Tree::from_data(&data, &options)
        .map_err(|_| "the drawing is damaged or not an SVG".to_owned())?;
    let (w, h) = (tree.size().width(), tree.size().height());
    if !(w.is_finite() && h.is_finite()) || w <= 0.0 || h <= 0.0 {
        return Err("the drawing has no size".into());
    }
    let scale = size.min(4096) as f32 / w.max(h);
    let (pw, ph) = (
        ((w * scale).round() as u32).max(1),
        ((h * scale).round() as u32).max(1),
    );
    let mut pixmap =
        tiny_skia::Pixmap::new(pw, ph).ok_or_else(|| "the drawing has no size".to_owned())?;
    // Transparent drawings are shown on white, as a viewer would show them on a page.
    pixmap.fill(tiny_skia::Color::WHITE);
    resvg::render(
        &tree,
        tiny_skia::Transform::from_scale(scale, scale),
        &mut pixmap.as_mut(),
    );
    let png = pixmap
        .encode_png()
        .map_err(|_| "the drawing could not be encoded".to_owned())?;
    std::fs::write(output, png).map_err(|e| format!("the drawing could not be written: {e}"))
}
