package gitstore

import (
	"bytes"
	"context"
	"crypto/ed25519"
	"crypto/rand"
	"encoding/binary"
	"encoding/pem"
	"errors"
	"fmt"
	"net"
	"os"
	"os/exec"
	"path/filepath"
	"strings"
	"sync"
	"testing"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/knownhosts"

	"github.com/herald-social/herald/pipeline/publish/gitstore/gittest"
)

// sshServer serves one bare repository over SSH as GitHub does: user git,
// a public key, and the exec requests git-upload-pack / git-receive-pack
// run by the real git programs.
type sshServer struct {
	URL     string
	HostKey ssh.PublicKey

	mu    sync.Mutex
	execs []string
}

func newSSHServer(t *testing.T, bare string, client ssh.PublicKey) *sshServer {
	t.Helper()
	_, hostPriv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	host, err := ssh.NewSignerFromKey(hostPriv)
	if err != nil {
		t.Fatal(err)
	}
	cfg := &ssh.ServerConfig{
		PublicKeyCallback: func(c ssh.ConnMetadata, key ssh.PublicKey) (*ssh.Permissions, error) {
			if c.User() != "git" || !bytes.Equal(key.Marshal(), client.Marshal()) {
				return nil, fmt.Errorf("unknown key for %s", c.User())
			}
			return nil, nil
		},
	}
	cfg.AddHostKey(host)
	ln, err := net.Listen("tcp", "127.0.0.1:0")
	if err != nil {
		t.Fatal(err)
	}
	t.Cleanup(func() { ln.Close() })
	s := &sshServer{URL: "ssh://git@" + ln.Addr().String() + "/calendar.git", HostKey: host.PublicKey()}
	go func() {
		for {
			conn, err := ln.Accept()
			if err != nil {
				return
			}
			go s.serve(t, conn, cfg, bare)
		}
	}()
	return s
}

func (s *sshServer) serve(t *testing.T, conn net.Conn, cfg *ssh.ServerConfig, bare string) {
	defer conn.Close()
	_, chans, reqs, err := ssh.NewServerConn(conn, cfg)
	if err != nil {
		return // refused key or host key: the client reports it
	}
	go ssh.DiscardRequests(reqs)
	for nc := range chans {
		if nc.ChannelType() != "session" {
			nc.Reject(ssh.UnknownChannelType, "session only")
			continue
		}
		ch, creqs, err := nc.Accept()
		if err != nil {
			return
		}
		go func() {
			defer ch.Close()
			for req := range creqs {
				if req.Type != "exec" {
					req.Reply(req.Type == "env", nil)
					continue
				}
				var n uint32
				if len(req.Payload) >= 4 {
					n = binary.BigEndian.Uint32(req.Payload)
				}
				command := string(req.Payload[4 : 4+n])
				s.mu.Lock()
				s.execs = append(s.execs, command)
				s.mu.Unlock()
				service, arg, _ := strings.Cut(command, " ")
				if (service != "git-upload-pack" && service != "git-receive-pack") || strings.Trim(arg, "'") != "/calendar.git" {
					t.Errorf("exec %q, want git-upload-pack or git-receive-pack of '/calendar.git'", command)
					req.Reply(false, nil)
					return
				}
				req.Reply(true, nil)
				cmd := exec.Command(service, bare)
				cmd.Env = gittest.Env(filepath.Dir(bare))
				cmd.Stdin, cmd.Stdout, cmd.Stderr = ch, ch, ch.Stderr()
				status := uint32(0)
				if err := cmd.Run(); err != nil {
					status = 1
				}
				ch.CloseWrite()
				ch.SendRequest("exit-status", false, binary.BigEndian.AppendUint32(nil, status))
				return
			}
		}()
	}
}

func TestSSH(t *testing.T) {
	gs := gittest.NewServer(t, token)
	gs.Seed(t, calendar)
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		t.Fatal(err)
	}
	clientPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		t.Fatal(err)
	}
	block, err := ssh.MarshalPrivateKey(priv, "herald test")
	if err != nil {
		t.Fatal(err)
	}
	keys := t.TempDir()
	keyFile := filepath.Join(keys, "id_ed25519")
	if err := os.WriteFile(keyFile, pem.EncodeToMemory(block), 0o600); err != nil {
		t.Fatal(err)
	}
	srv := newSSHServer(t, gs.Bare, clientPub)
	host := strings.TrimSuffix(strings.TrimPrefix(srv.URL, "ssh://git@"), "/calendar.git")
	knownHosts := filepath.Join(keys, "known_hosts")
	if err := os.WriteFile(knownHosts, []byte(knownhosts.Line([]string{knownhosts.Normalize(host)}, srv.HostKey)+"\n"), 0o600); err != nil {
		t.Fatal(err)
	}
	empty := filepath.Join(keys, "empty_known_hosts")
	if err := os.WriteFile(empty, nil, 0o600); err != nil {
		t.Fatal(err)
	}
	ctx := context.Background()
	env := func(kv ...string) func(string) string {
		m := map[string]string{"HERALD_SSH_KEY": keyFile}
		for i := 0; i+1 < len(kv); i += 2 {
			m[kv[i]] = kv[i+1]
		}
		return func(k string) string { return m[k] }
	}

	t.Run("unknown host key", func(t *testing.T) {
		t.Setenv("SSH_KNOWN_HOSTS", empty)
		dir := gs.Clone(t)
		gittest.Git(t, dir, "remote", "set-url", "origin", srv.URL)
		s := openStore(t, dir, testOptions(env()))
		err := s.Fetch(ctx)
		if err == nil || !strings.Contains(err.Error(), "key is unknown") {
			t.Fatalf("Fetch = %v, want the host key refused", err)
		}
		t.Log(err)
		s = openStore(t, dir, testOptions(env("HERALD_SSH_INSECURE_IGNORE_HOST_KEY", "1")))
		if err := s.Fetch(ctx); err != nil {
			t.Fatalf("Fetch ignoring host keys: %v", err)
		}
	})
	t.Run("wrong key", func(t *testing.T) {
		t.Setenv("SSH_KNOWN_HOSTS", knownHosts)
		_, other, _ := ed25519.GenerateKey(rand.Reader)
		b, _ := ssh.MarshalPrivateKey(other, "")
		otherFile := filepath.Join(t.TempDir(), "other")
		os.WriteFile(otherFile, pem.EncodeToMemory(b), 0o600)
		dir := gs.Clone(t)
		gittest.Git(t, dir, "remote", "set-url", "origin", srv.URL)
		s := openStore(t, dir, testOptions(env("HERALD_SSH_KEY", otherFile)))
		err := s.Fetch(ctx)
		if !errors.Is(err, ErrAuth) || !strings.Contains(err.Error(), "HERALD_SSH_KEY") {
			t.Fatalf("Fetch = %v, want ErrAuth naming HERALD_SSH_KEY", err)
		}
		t.Log(err)
	})
	t.Run("push rejected and applied again", func(t *testing.T) {
		t.Setenv("SSH_KNOWN_HOSTS", knownHosts)
		dir := gs.Clone(t)
		gittest.Git(t, dir, "remote", "set-url", "origin", srv.URL)
		s := fetchedStore(t, dir, env())
		var human string
		h, err := s.CommitAndPush(ctx, func(base Reader) ([]Change, error) {
			if human == "" {
				human = gs.HumanCommit(t, map[string]string{"posts/ssh.md": "over http\n"}, "writer: a post")
			}
			return []Change{{Path: "outbox/ssh.json", Content: []byte("{}\n")}}, nil
		}, "publish: over ssh", 3)
		if err != nil {
			t.Fatal(err)
		}
		if got := strings.TrimSpace(gittest.Git(t, gs.Bare, "rev-parse", "main", "main^")); got != h.String()+"\n"+human {
			t.Errorf("remote main, main^ = %s, want %s on %s", got, h, human)
		}
		gittest.Git(t, gs.Bare, "fsck", "--strict", "--no-dangling")
		assertClean(t, dir)
		srv.mu.Lock()
		defer srv.mu.Unlock()
		if got := strings.Join(srv.execs, "\n"); !strings.Contains(got, "git-receive-pack '/calendar.git'") {
			t.Errorf("SSH commands:\n%s", got)
		}
	})
}
