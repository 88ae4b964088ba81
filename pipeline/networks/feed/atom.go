package feed

import (
	"bytes"
	"crypto/sha1"
	"encoding/xml"
	"fmt"
	"time"
)

// The Atom 1.0 document (RFC 4287) as herald writes and reads it back.
// encoding/xml matches the unqualified child names in any namespace when
// reading, and writes them in the feed's default namespace.

const atomNS = "http://www.w3.org/2005/Atom"

type atomFeed struct {
	XMLName   xml.Name       `xml:"http://www.w3.org/2005/Atom feed"`
	Lang      string         `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID        string         `xml:"id"`
	Title     string         `xml:"title"`
	Updated   time.Time      `xml:"updated"`
	Links     []atomLink     `xml:"link"`
	Author    atomPerson     `xml:"author"`
	Generator *atomGenerator `xml:"generator"`
	Entries   []*atomEntry   `xml:"entry"`
}

type atomEntry struct {
	Lang      string      `xml:"http://www.w3.org/XML/1998/namespace lang,attr,omitempty"`
	ID        string      `xml:"id"`
	Title     string      `xml:"title"`
	Updated   time.Time   `xml:"updated"`
	Published time.Time   `xml:"published"`
	Links     []atomLink  `xml:"link"`
	Content   atomContent `xml:"content"`
}

type atomLink struct {
	Rel    string `xml:"rel,attr,omitempty"`
	Type   string `xml:"type,attr,omitempty"`
	Href   string `xml:"href,attr"`
	Title  string `xml:"title,attr,omitempty"`
	Length int64  `xml:"length,attr,omitempty"`
}

type atomPerson struct {
	Name string `xml:"name"`
	URI  string `xml:"uri,omitempty"`
}

type atomGenerator struct {
	URI  string `xml:"uri,attr,omitempty"`
	Name string `xml:",chardata"`
}

// atomContent is HTML, escaped as text (RFC 4287 §4.1.3.3): a reader
// unescapes it once and gets the HTML; nothing in it is markup of the feed.
type atomContent struct {
	Type string `xml:"type,attr"`
	Body string `xml:",chardata"`
}

// MarshalXML writes the content keeping its line breaks as they are
// (encoding/xml's default writes each one as &#xA;), so that the feed
// reads, and diffs, line by line.
func (c atomContent) MarshalXML(e *xml.Encoder, start xml.StartElement) error {
	start.Attr = append(start.Attr, xml.Attr{Name: xml.Name{Local: "type"}, Value: c.Type})
	if err := e.EncodeToken(start); err != nil {
		return err
	}
	if err := e.EncodeToken(xml.CharData(c.Body)); err != nil {
		return err
	}
	return e.EncodeToken(start.End())
}

func encodeFeed(f *atomFeed) ([]byte, error) {
	var b bytes.Buffer
	b.WriteString(xml.Header)
	enc := xml.NewEncoder(&b)
	enc.Indent("", "  ")
	if err := enc.Encode(f); err != nil {
		return nil, err
	}
	b.WriteString("\n")
	return b.Bytes(), nil
}

func decodeFeed(data []byte) (*atomFeed, error) {
	var f atomFeed
	if err := xml.Unmarshal(data, &f); err != nil {
		return nil, err
	}
	if f.XMLName.Space != atomNS {
		return nil, fmt.Errorf("its root is <%s> in %q, not an Atom <feed>", f.XMLName.Local, f.XMLName.Space)
	}
	return &f, nil
}

// uuidURN returns a name-based UUID (version 5, SHA-1, in the URL
// namespace, RFC 9562 §5.5) as a URN: a stable id for a feed or an entry
// that has no web address to build a tag: URI from. Ten lines of the RFC
// are not worth a dependency.
func uuidURN(name string) string {
	urlNamespace := [16]byte{0x6b, 0xa7, 0xb8, 0x11, 0x9d, 0xad, 0x11, 0xd1, 0x80, 0xb4, 0x00, 0xc0, 0x4f, 0xd4, 0x30, 0xc8}
	h := sha1.New()
	h.Write(urlNamespace[:])
	h.Write([]byte(name))
	u := h.Sum(nil)[:16]
	u[6] = u[6]&0x0f | 0x50 // version 5
	u[8] = u[8]&0x3f | 0x80 // variant RFC 9562
	return fmt.Sprintf("urn:uuid:%x-%x-%x-%x-%x", u[0:4], u[4:6], u[6:8], u[8:10], u[10:16])
}
