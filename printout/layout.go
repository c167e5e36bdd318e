package printout

import (
	"fmt"
	"time"
)

// style is a font at a size with the distance between baselines.
type style struct {
	font    font
	size    float64
	leading float64
}

var (
	styleBody  = style{regular, 10, 13}
	styleBold  = style{bold, 10, 13}
	styleSmall = style{regular, 8, 10}
	styleCell  = style{regular, 9, 11}
	styleHead  = style{bold, 9, 11}
	styleTitle = style{bold, 16, 20}
	styleH2    = style{bold, 12, 16}
)

// Page geometry in points: margins, and the running header and footer
// bands, which the body never enters.
const (
	margin       = 42
	headerHeight = 38
	footerHeight = 24
	labelWidth   = 118
)

// layout flows content down pages: it keeps the cursor, breaks pages when
// the next piece does not fit, and draws headers and footers once the page
// count is known.
type layout struct {
	doc   *pdfDoc
	page  *page
	head  *headLines   // for pages begun from now on
	heads []*headLines // one per page
	y     float64      // top of the next line, from the page top

	left, right, top, bottom float64

	// onNewPage runs on each new page (a table repeats its header row).
	onNewPage func()
}

func newLayout(paper Paper, title string, created time.Time, head runningHead) *layout {
	l := &layout{
		doc:    &pdfDoc{paper: paper, title: title, created: created},
		left:   margin,
		right:  paper.Width - margin,
		top:    margin + headerHeight,
		bottom: paper.Height - margin - footerHeight,
	}
	l.setHead(head)
	return l
}

func (l *layout) width() float64 { return l.right - l.left }

// newPage starts a page, with the current running head.
func (l *layout) newPage() {
	l.page = l.doc.addPage()
	l.heads = append(l.heads, l.head)
	l.y = l.top
	if l.onNewPage != nil {
		l.onNewPage()
	}
}

// ensure starts a new page unless h more points fit on this one.
func (l *layout) ensure(h float64) {
	if l.page == nil || l.y+h > l.bottom {
		l.newPage()
	}
}

// pageBreak starts a new page unless the current one is still empty.
func (l *layout) pageBreak() {
	if l.page == nil || l.y > l.top {
		l.newPage()
	}
}

func (l *layout) gap(h float64) {
	if l.page != nil && l.y > l.top {
		l.y += h
	}
}

// drawLine draws one line of text at the cursor: baseline one font size
// below the top of the line, which leaves the descenders inside it.
func (l *layout) drawLine(x float64, st style, s string) {
	l.page.text(x, l.y+st.size, st.font, st.size, s)
}

// lines writes wrapped text in a column from x, width wide.
func (l *layout) lines(st style, x, width float64, text string) {
	for _, ln := range wrap(clean(text), st.font, st.size, width) {
		l.ensure(st.leading)
		l.drawLine(x, st, ln)
		l.y += st.leading
	}
}

// paragraph writes text across the full width, then a little space.
func (l *layout) paragraph(st style, text string) {
	l.lines(st, l.left, l.width(), text)
	l.y += st.leading / 3
}

// title writes the document title.
func (l *layout) title(text string) {
	l.ensure(styleTitle.leading * 2)
	l.lines(styleTitle, l.left, l.width(), text)
	l.y += 4
}

// heading starts a section. It keeps the heading with at least two lines
// of what follows, so a heading never sits alone at the foot of a page.
func (l *layout) heading(text string) {
	l.gap(8)
	l.ensure(styleH2.leading + 4 + 2*styleBody.leading)
	l.lines(styleH2, l.left, l.width(), text)
	l.rule(0.5)
	l.y += 4
}

// rule draws a thin line across the page at the cursor.
func (l *layout) rule(width float64) {
	l.ensure(2)
	l.page.line(l.left, l.y+1, l.right, l.y+1, width, 0.4)
	l.y += 3
}

// field writes "Label    value", the value wrapped beside the label.
// Empty values are left out, so a form never prints blank labels.
func (l *layout) field(label, value string) {
	if value == "" {
		return
	}
	lines := wrap(clean(value), styleBody.font, styleBody.size, l.width()-labelWidth)
	for i, ln := range lines {
		l.ensure(styleBody.leading)
		if i == 0 || l.y == l.top {
			l.drawLine(l.left, styleBold, fit(oneLine(label), bold, styleBold.size, labelWidth-6))
		}
		l.drawLine(l.left+labelWidth, styleBody, ln)
		l.y += styleBody.leading
	}
}

// bullets writes a list, one wrapped item per entry.
func (l *layout) bullets(items []string) {
	const indent = 12
	for _, it := range items {
		lines := wrap(clean(it), styleBody.font, styleBody.size, l.width()-indent)
		for i, ln := range lines {
			l.ensure(styleBody.leading)
			if i == 0 {
				l.drawLine(l.left+2, styleBody, "•")
			}
			l.drawLine(l.left+indent, styleBody, ln)
			l.y += styleBody.leading
		}
	}
}

// callout draws text in a shaded, outlined box, for what must not be
// missed (allergies). A box too tall for a page falls back to plain lines.
func (l *layout) callout(heading string, items []string) {
	const pad = 6
	st := styleBody
	head := wrap(clean(heading), bold, st.size, l.width()-2*pad)
	var body []string
	for _, it := range items {
		body = append(body, wrap(clean(it), st.font, st.size, l.width()-2*pad)...)
	}
	h := float64(len(head)+len(body))*st.leading + 2*pad
	if h > l.bottom-l.top {
		l.lines(styleBold, l.left, l.width(), heading)
		l.bullets(items)
		return
	}
	l.ensure(h)
	l.page.fillRect(l.left, l.y, l.width(), h, 0.88)
	l.page.strokeRect(l.left, l.y, l.width(), h, 1.5)
	top := l.y
	l.y += pad
	for _, ln := range head {
		l.drawLine(l.left+pad, styleBold, ln)
		l.y += st.leading
	}
	for _, ln := range body {
		l.drawLine(l.left+pad, st, ln)
		l.y += st.leading
	}
	l.y = top + h + 4
}

// finish draws every page's header and footer, now that the page count is
// known, and returns the file.
func (l *layout) finish() ([]byte, error) {
	if err := fontsReady(); err != nil {
		return nil, err
	}
	if l.page == nil {
		l.newPage()
	}
	total := len(l.doc.pages)
	for i, p := range l.doc.pages {
		l.drawHead(p, l.heads[i], i+1, total)
	}
	out, err := l.doc.bytes()
	if err != nil {
		return nil, fmt.Errorf("write PDF: %w", err)
	}
	return out, nil
}
