package mastodon

import (
	"bytes"
	"context"
	"errors"
	"fmt"
	"io/fs"
	"mime/multipart"
	"net/http"
	"net/textproto"
	"net/url"
	"path"
	"strconv"
	"strings"
	"time"

	"github.com/herald-social/herald/pipeline/networks"
	"github.com/herald-social/herald/pipeline/networks/httpx"
)

// status is the part of Mastodon's Status entity Herald reads.
type status struct {
	ID          string    `json:"id"`
	CreatedAt   time.Time `json:"created_at"`
	InReplyToID *string   `json:"in_reply_to_id"`
	URI         string    `json:"uri"`
	URL         *string   `json:"url"`
	Content     string    `json:"content"` // HTML
	// Text is the source text, which some servers give (GoToSocial,
	// Pleroma with its extensions); Mastodon gives it only on delete.
	Text            *string `json:"text"`
	Media           []media `json:"media_attachments"`
	RepliesCount    int64   `json:"replies_count"`
	ReblogsCount    int64   `json:"reblogs_count"`
	FavouritesCount int64   `json:"favourites_count"`
	QuotesCount     *int64  `json:"quotes_count"` // Mastodon 4.5 and later
}

// media is the part of Mastodon's MediaAttachment entity Herald reads.
type media struct {
	ID          string  `json:"id"`
	URL         *string `json:"url"` // null while the server processes it
	Description *string `json:"description"`
}

// link is where people see a status: its web page, else its URI.
func (s *status) link() string {
	if s.URL != nil && *s.URL != "" {
		return *s.URL
	}
	return s.URI
}

// Publish posts each part of p as a status replying to the one before,
// after the statuses the account already has for p's first parts (a run
// that stopped halfway): a thread already whole is not posted again.
// On an error, the Result holds the statuses that exist.
func (c *Client) Publish(ctx context.Context, p networks.Publication) (networks.Result, error) {
	if len(p.Parts) == 0 {
		return networks.Result{}, c.permanent(fmt.Errorf("post %s has no text and no media to publish", p.PostID))
	}
	done, err := c.find(ctx, p)
	if err != nil {
		return networks.Result{}, err
	}
	res := resultOf(done)
	for i := len(done); i < len(p.Parts); i++ {
		replyTo := ""
		if i > 0 {
			replyTo = res.IDs[i-1]
		}
		st, err := c.postPart(ctx, p, i, replyTo)
		if err != nil {
			if len(p.Parts) > 1 {
				err = fmt.Errorf("part %d of %d: %w", i+1, len(p.Parts), err)
			}
			return res, err
		}
		res.IDs = append(res.IDs, st.ID)
		res.URLs = append(res.URLs, st.link())
	}
	return res, nil
}

func resultOf(statuses []*status) networks.Result {
	var r networks.Result
	for _, st := range statuses {
		r.IDs = append(r.IDs, st.ID)
		r.URLs = append(r.URLs, st.link())
	}
	return r
}

// postPart uploads a part's media, then posts its status.
func (c *Client) postPart(ctx context.Context, p networks.Publication, i int, replyTo string) (*status, error) {
	part := p.Parts[i]
	var mediaIDs []string
	for _, m := range part.Media {
		id, err := c.upload(ctx, p.Files, m)
		if err != nil {
			return nil, err
		}
		mediaIDs = append(mediaIDs, id)
	}
	form := url.Values{}
	if part.Text != "" {
		form.Set("status", part.Text)
	}
	for _, id := range mediaIDs {
		form.Add("media_ids[]", id)
	}
	form.Set("visibility", c.visibility)
	if lang := language(p.Lang); lang != "" {
		form.Set("language", lang)
	}
	if replyTo != "" {
		form.Set("in_reply_to_id", replyTo)
	}
	if p.Poll != nil && i == 0 {
		addPoll(form, p.Poll)
	}
	header := http.Header{}
	if key := PartKey(p.IdempotencyKey, i); key != "" {
		header.Set("Idempotency-Key", key)
	}
	resp, err := c.do(ctx, http.MethodPost, "/api/v1/statuses", nil, strings.NewReader(form.Encode()),
		"application/x-www-form-urlencoded", header)
	if err != nil {
		return nil, err
	}
	var st status
	if err := c.decode(resp, &st); err != nil {
		return nil, err
	}
	if st.ID == "" {
		return nil, &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: errors.New("POST /api/v1/statuses: the answer has no status id")}
	}
	return &st, nil
}

// addPoll sets a poll's fields as POST /api/v1/statuses takes them:
// poll[options][] once per option, poll[expires_in] in seconds.
func addPoll(form url.Values, poll *networks.Poll) {
	for _, o := range poll.Options {
		form.Add("poll[options][]", o)
	}
	form.Set("poll[expires_in]", strconv.FormatInt(int64(poll.ExpiresIn/time.Second), 10))
	form.Set("poll[multiple]", strconv.FormatBool(poll.Multiple))
	form.Set("poll[hide_totals]", strconv.FormatBool(poll.HideTotals))
}

// PartKey is the Idempotency-Key of part i (from 0) of a publication whose
// key is key: key-1, key-2... "" when the publication has none.
func PartKey(key string, i int) string {
	if key == "" {
		return ""
	}
	return key + "-" + strconv.Itoa(i+1)
}

// language is the ISO 639 code Mastodon takes for a BCP 47 tag: its
// primary subtag, "fr" for "fr-FR"; "" when there is none.
func language(tag string) string {
	primary, _, _ := strings.Cut(strings.ReplaceAll(tag, "_", "-"), "-")
	primary = strings.ToLower(primary)
	if len(primary) < 2 || len(primary) > 3 {
		return ""
	}
	for _, r := range primary {
		if r < 'a' || r > 'z' {
			return ""
		}
	}
	return primary
}

// maxPolls bounds how often a medium being processed is asked about,
// whatever the budget.
const maxPolls = 30

// upload sends a medium (POST /api/v2/media, multipart: file and
// description) and returns its id once the server has processed it: a
// 202 is followed by GET /api/v1/media/:id until it answers 200 rather
// than 206. Sending a medium twice makes at most an attachment nobody
// uses, which the server deletes: the upload is retried like a GET.
func (c *Client) upload(ctx context.Context, files fs.FS, m networks.Medium) (string, error) {
	data, err := fs.ReadFile(files, m.Path)
	if err != nil {
		return "", c.permanent(fmt.Errorf("medium %s: %w", m.Path, err))
	}
	var body bytes.Buffer
	w := multipart.NewWriter(&body)
	h := textproto.MIMEHeader{}
	h.Set("Content-Disposition", fmt.Sprintf(`form-data; name="file"; filename=%q`, path.Base(m.Path)))
	h.Set("Content-Type", m.MIME)
	fw, err := w.CreatePart(h)
	if err == nil {
		_, err = fw.Write(data)
	}
	if err == nil && m.Alt != "" {
		err = w.WriteField("description", m.Alt)
	}
	if err == nil {
		err = w.Close()
	}
	if err != nil {
		return "", err
	}
	req, err := http.NewRequestWithContext(ctx, http.MethodPost, c.endpoint("/api/v2/media", nil), bytes.NewReader(body.Bytes()))
	if err != nil {
		return "", err
	}
	req.Header.Set("Authorization", "Bearer "+c.token)
	req.Header.Set("Accept", "application/json")
	req.Header.Set("Content-Type", w.FormDataContentType())
	resp, err := c.http.Do(httpx.MarkIdempotent(req))
	if err != nil {
		return "", fmt.Errorf("medium %s: %w", m.Path, err)
	}
	var att media
	processing := resp.StatusCode == http.StatusAccepted
	if err := c.decode(resp, &att); err != nil {
		return "", err
	}
	if att.ID == "" {
		return "", &networks.Error{Kind: networks.Transient, Account: c.account,
			Err: fmt.Errorf("POST /api/v2/media: the answer has no media id")}
	}
	if processing {
		if err := c.waitProcessed(ctx, m, att.ID); err != nil {
			return "", err
		}
	}
	return att.ID, nil
}

// waitProcessed asks about a medium until the server has processed it.
func (c *Client) waitProcessed(ctx context.Context, m networks.Medium, id string) error {
	for attempt := 0; ; attempt++ {
		if attempt == maxPolls {
			return c.stillProcessing(m, attempt)
		}
		if err := c.http.Wait(ctx, attempt); err != nil {
			if errors.Is(err, httpx.ErrBudget) {
				return c.stillProcessing(m, attempt)
			}
			return err
		}
		resp, err := c.do(ctx, http.MethodGet, "/api/v1/media/"+url.PathEscape(id), nil, nil, "", nil)
		if err != nil {
			return fmt.Errorf("medium %s: %w", m.Path, err)
		}
		done := resp.StatusCode == http.StatusOK
		resp.Body.Close()
		if done {
			return nil
		}
	}
}

func (c *Client) stillProcessing(m networks.Medium, polls int) error {
	return &networks.Error{Kind: networks.Transient, Account: c.account,
		Err: fmt.Errorf("medium %s: the server is still processing it after %d checks: nothing was posted; the next run tries again", m.Path, polls)}
}

func (c *Client) permanent(err error) error {
	return &networks.Error{Kind: networks.Permanent, Account: c.account, Err: err}
}
