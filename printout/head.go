package printout

import "fmt"

// runningHead is what the header and footer of one page say. It is set per
// page because a home-visit sheet changes patient from page to page.
type runningHead struct {
	practice string
	patient  string
	printed  string
	title    string
}

// headLines is a running head encoded and fitted to the page once, then
// shared by every page that carries it.
type headLines struct {
	practice, printed, patient, title string
}

const (
	headSize       = 9
	confidential   = "Confidential health information"
	widestPageNote = "Page 9999 of 9999"
)

// setHead makes h the running head of the pages begun from now on.
func (l *layout) setHead(h runningHead) {
	printed := fit(oneLine(h.printed), regular, headSize, l.width()/2)
	pw := textWidth(printed, regular, headSize)
	reserved := textWidth(confidential, bold, headSize) + textWidth(widestPageNote, regular, headSize) + 32
	l.head = &headLines{
		practice: fit(oneLine(h.practice), bold, 10, l.width()-pw-12),
		printed:  printed,
		patient:  fit(oneLine(h.patient), regular, headSize, l.width()),
		title:    fit(oneLine(h.title), regular, headSize, l.width()-reserved),
	}
}

// drawHead draws page n's header and footer.
func (l *layout) drawHead(p *page, h *headLines, n, total int) {
	y := float64(margin) + headSize
	p.text(l.left, y, bold, 10, h.practice)
	p.text(l.right-textWidth(h.printed, regular, headSize), y, regular, headSize, h.printed)
	y += 14
	p.text(l.left, y, regular, headSize, h.patient)
	p.line(l.left, y+6, l.right, y+6, 0.75, 0)

	y = l.doc.paper.Height - margin
	p.line(l.left, y-14, l.right, y-14, 0.5, 0.4)
	pageNo := fmt.Sprintf("Page %d of %d", n, total)
	p.text(l.left, y, bold, headSize, confidential)
	p.text(l.right-textWidth(pageNo, regular, headSize), y, regular, headSize, pageNo)
	p.text(l.left+textWidth(confidential, bold, headSize)+16, y, regular, headSize, h.title)
}
