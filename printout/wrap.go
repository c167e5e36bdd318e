package printout

import "bytes"

// wrap breaks WinAnsi text into lines no wider than width when set in f at
// size. Each '\n' starts a new line (an empty paragraph gives an empty
// line); runs of spaces collapse to one. A word wider than the line is cut
// between characters, and every line holds at least one character, so
// wrapping always ends, however narrow the width.
func wrap(text []byte, f font, size, width float64) [][]byte {
	if len(text) == 0 {
		return nil
	}
	var lines [][]byte
	for _, para := range bytes.Split(text, []byte{'\n'}) {
		lines = append(lines, wrapParagraph(para, f, size, width)...)
	}
	return lines
}

func wrapParagraph(para []byte, f font, size, width float64) [][]byte {
	// Only the space separates words: bytes.Fields would read WinAnsi as
	// UTF-8 and could take "Â…" for a line break.
	words := bytes.FieldsFunc(para, func(r rune) bool { return r == ' ' })
	if len(words) == 0 {
		return [][]byte{{}}
	}
	space := textWidth([]byte{' '}, f, size)
	var lines [][]byte
	var cur []byte
	curWidth := 0.0
	for _, w := range words {
		ww := textWidth(w, f, size)
		if len(cur) > 0 && curWidth+space+ww <= width {
			cur = append(append(cur, ' '), w...)
			curWidth += space + ww
			continue
		}
		if len(cur) > 0 {
			lines = append(lines, cur)
			cur, curWidth = nil, 0
		}
		for len(w) > 1 && ww > width {
			head, rest := cutToWidth(w, f, size, width)
			lines = append(lines, head)
			w, ww = rest, ww-textWidth(head, f, size)
		}
		cur, curWidth = append([]byte(nil), w...), ww
	}
	if len(cur) > 0 {
		lines = append(lines, cur)
	}
	return lines
}

// cutToWidth splits w after the longest prefix that fits width, keeping at
// least one character in the prefix.
func cutToWidth(w []byte, f font, size, width float64) (head, rest []byte) {
	n := prefixFitting(w, f, size, width)
	if n == 0 {
		n = 1
	}
	return append([]byte(nil), w[:n]...), w[n:]
}

// prefixFitting counts the leading bytes of s that fit in width.
func prefixFitting(s []byte, f font, size, width float64) int {
	widths := f.widths()
	used := 0.0
	for i, c := range s {
		used += float64(widths[c]) * size / 1000
		if used > width {
			return i
		}
	}
	return len(s)
}

// fit shortens a single line to width, ending it with an ellipsis when
// something had to go: for headers, where wrapping has no room.
func fit(s []byte, f font, size, width float64) []byte {
	if prefixFitting(s, f, size, width) == len(s) {
		return s
	}
	const ellipsis = 0x85 // '…' in WinAnsi
	n := prefixFitting(s, f, size, width-textWidth([]byte{ellipsis}, f, size))
	return append(append([]byte(nil), s[:n]...), ellipsis)
}
