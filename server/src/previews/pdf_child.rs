//! The child's side of the PDF renderer (`gosync render-pdf`): limits its own memory and CPU
//! time, opens the PDF with pdfium, then renders one page to PNG or writes the text of every
//! page, and prints the page count. Errors are printed for the parent as one line, for people.

use std::path::Path;

use pdfium_render::prelude::*;

/// The child may use this much memory (address space) and CPU time.
const CHILD_MEMORY: u64 = 2 << 30;
const CHILD_CPU_SECS: u64 = 60;

/// What the child is asked to make.
pub enum Task {
    /// Page `page` (from 1) as a PNG that fits a `size` box.
    Render { page: u32, size: u32 },
    /// The text of every page, at most `limit` bytes.
    Text { limit: usize },
}

pub fn run(library: &Path, input: &Path, output: &Path, task: Task) -> Result<(), String> {
    let _ = rlimit::setrlimit(rlimit::Resource::AS, CHILD_MEMORY, CHILD_MEMORY);
    let _ = rlimit::setrlimit(rlimit::Resource::CPU, CHILD_CPU_SECS, CHILD_CPU_SECS);
    let bindings = Pdfium::bind_to_library(library)
        .map_err(|e| format!("libpdfium could not be loaded: {e}"))?;
    let pdfium = Pdfium::new(bindings);
    let document = pdfium
        .load_pdf_from_file(input, None)
        .map_err(|e| match e {
            PdfiumError::PdfiumLibraryInternalError(PdfiumInternalError::PasswordError) => {
                "the PDF is protected by a password".to_owned()
            }
            _ => "the PDF is damaged or not a PDF".to_owned(),
        })?;
    let count = document.pages().len() as u32;
    match task {
        Task::Render { page, size } => render(&document, page, size, output)?,
        Task::Text { limit } => text(&document, limit, output)?,
    }
    println!("{count}");
    Ok(())
}

fn render(document: &PdfDocument, page: u32, size: u32, output: &Path) -> Result<(), String> {
    let pages = document.pages();
    let count = pages.len() as u32;
    if page == 0 || page > count {
        return Err(format!("the PDF has no page {page} (it has {count})"));
    }
    let side = size.min(4096) as i32;
    let config = PdfRenderConfig::new()
        .set_target_width(side)
        .set_maximum_height(side)
        .render_form_data(true);
    let one = pages
        .get((page - 1) as PdfPageIndex)
        .map_err(|_| format!("page {page} of the PDF could not be read"))?;
    let rendered = one
        .render_with_config(&config)
        .map_err(|_| format!("page {page} of the PDF could not be rendered"))?;
    let image = rendered
        .as_image()
        .map_err(|_| "the rendered page could not be read".to_owned())?;
    image
        .into_rgb8()
        .save_with_format(output, image::ImageFormat::Png)
        .map_err(|e| format!("the page could not be written: {e}"))
}

fn text(document: &PdfDocument, limit: usize, output: &Path) -> Result<(), String> {
    let mut all = String::new();
    for page in document.pages().iter() {
        let Ok(found) = page.text() else { continue };
        all.push_str(&found.all());
        all.push('\n');
        if all.len() >= limit {
            let mut cut = limit;
            while !all.is_char_boundary(cut) {
                cut -= 1;
            }
            all.truncate(cut);
            break;
        }
    }
    std::fs::write(output, all).map_err(|e| format!("the text could not be written: {e}"))
}
