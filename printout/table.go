package printout

// column is a table column: its heading and its share of the width.
type column struct {
	title  string
	weight float64
}

// cellPad is the space around a cell's text.
const (
	cellPadX = 3
	cellPadY = 2
)

// table draws rows under a header row. A row that does not fit moves to
// the next page whole; only a row taller than a page is split. Every page
// the table reaches starts with the header row again.
func (l *layout) table(cols []column, rows [][]string) {
	widths := l.columnWidths(cols)
	titles := make([]string, len(cols))
	for i, c := range cols {
		titles[i] = c.title
	}
	header := wrapRow(titles, widths, styleHead)
	headerH := rowHeight(header, styleHead)
	drawHeader := func() {
		l.page.fillRect(l.left, l.y, l.width(), headerH, 0.85)
		l.drawRow(header, widths, styleHead, 0, rowLines(header))
		l.y += headerH
	}
	l.ensure(headerH + rowHeight(nil, styleCell))
	drawHeader()
	fullPage := l.bottom - l.top - headerH
	// A header taller than a third of a page (only absurd titles do that)
	// is not repeated: repeating it could fill every page with headers.
	if headerH <= (l.bottom-l.top)/3 {
		saved := l.onNewPage
		l.onNewPage = drawHeader
		defer func() { l.onNewPage = saved }()
	}
	for _, r := range rows {
		cells := wrapRow(r, widths, styleCell)
		if h := rowHeight(cells, styleCell); l.y+h > l.bottom && h <= fullPage {
			l.newPage()
		}
		l.drawSplitRow(cells, widths)
	}
}

// drawSplitRow draws a row's lines, continuing on new pages as needed.
func (l *layout) drawSplitRow(cells [][]string, widths []float64) {
	n := rowLines(cells)
	fresh := false // just turned the page: there is no more room to find
	for start := 0; start < n; {
		room := int((l.bottom - l.y - 2*cellPadY) / styleCell.leading)
		if room < 1 && !fresh {
			l.newPage()
			fresh = true
			continue
		}
		end := min(n, start+max(room, 1))
		l.drawRow(cells, widths, styleCell, start, end)
		l.y += float64(end-start)*styleCell.leading + 2*cellPadY
		l.page.line(l.left, l.y, l.right, l.y, 0.3, 0.6)
		start, fresh = end, false
		if start < n {
			l.newPage()
			fresh = true
		}
	}
}

// drawRow draws lines [from, to) of every cell at the cursor.
func (l *layout) drawRow(cells [][]string, widths []float64, st style, from, to int) {
	x := l.left
	for i, cell := range cells {
		for j := from; j < to && j < len(cell); j++ {
			l.page.text(x+cellPadX, l.y+cellPadY+float64(j-from)*st.leading+st.size, st.font, st.size, cell[j])
		}
		x += widths[i]
	}
}

func (l *layout) columnWidths(cols []column) []float64 {
	total := 0.0
	for _, c := range cols {
		total += c.weight
	}
	widths := make([]float64, len(cols))
	for i, c := range cols {
		widths[i] = l.width() * c.weight / total
	}
	return widths
}

// wrapRow wraps each cell to its column; missing cells are empty.
func wrapRow(cells []string, widths []float64, st style) [][]string {
	out := make([][]string, len(widths))
	for i := range widths {
		if i < len(cells) {
			out[i] = wrap(clean(cells[i]), st.font, st.size, widths[i]-2*cellPadX)
		}
	}
	return out
}

// rowLines is the line count of the tallest cell, at least one.
func rowLines(cells [][]string) int {
	n := 1
	for _, c := range cells {
		n = max(n, len(c))
	}
	return n
}

func rowHeight(cells [][]string, st style) float64 {
	return float64(rowLines(cells))*st.leading + 2*cellPadY
}
