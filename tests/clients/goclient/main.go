// goclient: a test client that logs in the way `fly ssh console` does
// (golang.org/x/crypto/ssh), for tests/clients/run.sh.
//
// It mints a fresh ed25519 key and a certificate for it (principals
// <user> and "fly", valid for -valid, signed with the CA private key given
// by -ca), holds both in an in-process agent keyring and authenticates
// with the agent's signers; host key algorithms are limited to
// ssh-ed25519 and the host key is not checked.  With -key it uses a
// plain private key from a file instead (for servers without a CA).
//
// Every session sends the -env variables with want-reply first and, like
// flyctl, gives up when the server refuses one.  Results are printed one
// per line, "WHAT key=value ...", with values quoted by strconv.Quote:
//
//	auth ok
//	env NAME ok
//	exec exit=N stdout="..." stderr="..."
//	shell exit=N size_ok=true|false output="..."
//	signal exit=signal:TERM
//	fail "message"              (then exit status 1)
//
// Build offline with Debian's packages:
//
//	GO111MODULE=off GOPATH=/usr/share/gocode go build -o goclient .
package main

import (
	"bytes"
	"crypto/ed25519"
	"crypto/rand"
	"errors"
	"flag"
	"fmt"
	"io"
	"net"
	"os"
	"strconv"
	"strings"
	"time"

	"golang.org/x/crypto/ssh"
	"golang.org/x/crypto/ssh/agent"
)

type multiFlag []string

func (m *multiFlag) String() string     { return strings.Join(*m, ",") }
func (m *multiFlag) Set(v string) error { *m = append(*m, v); return nil }

var (
	addr    = flag.String("addr", "127.0.0.1:22", "server address")
	user    = flag.String("user", "root", "login name")
	caPath  = flag.String("ca", "", "CA private key (OpenSSH format) that signs the certificate")
	keyPath = flag.String("key", "", "use this plain private key instead of a certificate")
	valid   = flag.Duration("valid", time.Hour, "certificate lifetime")
	exts    = flag.String("ext", "permit-pty,permit-port-forwarding,permit-agent-forwarding",
		"certificate extensions, comma separated")
	cmd     = flag.String("cmd", "", "run this command without a pty")
	shell   = flag.Bool("shell", false, "run a shell with a pty: change the window size, send \"exit 3\"")
	signal  = flag.Bool("signal", false, "run \"sleep 60\" and send it SIGTERM")
	timeout = flag.Duration("timeout", 20*time.Second, "overall time limit")
	envs    multiFlag
)

func out(format string, args ...interface{}) {
	fmt.Printf(format+"\n", args...)
}

func fail(err error) {
	out("fail %s", strconv.Quote(err.Error()))
	os.Exit(1)
}

// agentSigners makes a fresh key and certificate, adds them to an
// in-process agent keyring and returns its signers, as flyctl does.
func agentSigners() (func() ([]ssh.Signer, error), error) {
	keyring := agent.NewKeyring()
	if *keyPath != "" {
		pem, err := os.ReadFile(*keyPath)
		if err != nil {
			return nil, err
		}
		k, err := ssh.ParseRawPrivateKey(pem)
		if err != nil {
			return nil, err
		}
		if err := keyring.Add(agent.AddedKey{PrivateKey: k}); err != nil {
			return nil, err
		}
		return keyring.Signers, nil
	}
	caPem, err := os.ReadFile(*caPath)
	if err != nil {
		return nil, err
	}
	ca, err := ssh.ParsePrivateKey(caPem)
	if err != nil {
		return nil, fmt.Errorf("CA key: %v", err)
	}
	pub, priv, err := ed25519.GenerateKey(rand.Reader)
	if err != nil {
		return nil, err
	}
	sshPub, err := ssh.NewPublicKey(pub)
	if err != nil {
		return nil, err
	}
	perms := ssh.Permissions{Extensions: map[string]string{}}
	for _, e := range strings.Split(*exts, ",") {
		if e != "" {
			perms.Extensions[e] = ""
		}
	}
	now := time.Now()
	cert := &ssh.Certificate{
		Key:             sshPub,
		Serial:          uint64(now.UnixNano()),
		CertType:        ssh.UserCert,
		KeyId:           "goclient@" + *user,
		ValidPrincipals: []string{*user, "fly"},
		ValidAfter:      uint64(now.Add(-time.Minute).Unix()),
		ValidBefore:     uint64(now.Add(*valid).Unix()),
		Permissions:     perms,
	}
	if err := cert.SignCert(rand.Reader, ca); err != nil {
		return nil, err
	}
	if err := keyring.Add(agent.AddedKey{PrivateKey: priv, Certificate: cert}); err != nil {
		return nil, err
	}
	return keyring.Signers, nil
}

// newSession opens a session and sends the env requests; a refused one
// ends everything, as in flyctl.
func newSession(c *ssh.Client) *ssh.Session {
	s, err := c.NewSession()
	if err != nil {
		fail(err)
	}
	for _, e := range envs {
		kv := strings.SplitN(e, "=", 2)
		if len(kv) != 2 {
			fail(fmt.Errorf("bad -env %q", e))
		}
		if err := s.Setenv(kv[0], kv[1]); err != nil {
			fail(fmt.Errorf("env %s: %v", kv[0], err))
		}
		out("env %s ok", kv[0])
	}
	return s
}

func exitOf(err error) string {
	var ee *ssh.ExitError
	if err == nil {
		return "0"
	}
	if errors.As(err, &ee) {
		if ee.Signal() != "" {
			return "signal:" + ee.Signal()
		}
		return strconv.Itoa(ee.ExitStatus())
	}
	var em *ssh.ExitMissingError
	if errors.As(err, &em) {
		return "missing"
	}
	return "error:" + strconv.Quote(err.Error())
}

func runCommand(c *ssh.Client) {
	s := newSession(c)
	defer s.Close()
	var so, se bytes.Buffer
	s.Stdout = &so
	s.Stderr = &se
	err := s.Run(*cmd)
	out("exec exit=%s stdout=%s stderr=%s", exitOf(err), strconv.Quote(so.String()),
		strconv.Quote(se.String()))
}

func runShell(c *ssh.Client) {
	s := newSession(c)
	defer s.Close()
	modes := ssh.TerminalModes{ssh.ECHO: 0, ssh.TTY_OP_ISPEED: 38400, ssh.TTY_OP_OSPEED: 38400}
	if err := s.RequestPty("xterm", 24, 80, modes); err != nil {
		fail(fmt.Errorf("pty: %v", err))
	}
	in, err := s.StdinPipe()
	if err != nil {
		fail(err)
	}
	var buf bytes.Buffer
	s.Stdout = &buf
	if err := s.Shell(); err != nil {
		fail(err)
	}
	if err := s.WindowChange(50, 132); err != nil {
		fail(fmt.Errorf("window-change: %v", err))
	}
	// the shell reads its input after the window change arrived
	io.WriteString(in, "echo tty=$(tty) size=$(stty size) term=$TERM\n")
	io.WriteString(in, "exit 3\n")
	err = s.Wait()
	o := buf.String()
	out("shell exit=%s size_ok=%t output=%s", exitOf(err), strings.Contains(o, "size=50 132"),
		strconv.Quote(o))
}

func runSignal(c *ssh.Client) {
	s := newSession(c)
	defer s.Close()
	if err := s.Start("echo started; exec sleep 60"); err != nil {
		fail(err)
	}
	// give the command its pid before the signal request
	time.Sleep(500 * time.Millisecond)
	if err := s.Signal(ssh.SIGTERM); err != nil {
		fail(err)
	}
	out("signal exit=%s", exitOf(s.Wait()))
}

func main() {
	flag.Var(&envs, "env", "NAME=value sent as an env request with want-reply (repeatable)")
	flag.Parse()
	time.AfterFunc(*timeout, func() { fail(errors.New("timeout")) })

	signers, err := agentSigners()
	if err != nil {
		fail(err)
	}
	cfg := &ssh.ClientConfig{
		User:              *user,
		Auth:              []ssh.AuthMethod{ssh.PublicKeysCallback(signers)},
		HostKeyAlgorithms: []string{ssh.KeyAlgoED25519},
		HostKeyCallback:   ssh.InsecureIgnoreHostKey(),
		Timeout:           10 * time.Second,
	}
	conn, err := net.DialTimeout("tcp", *addr, 10*time.Second)
	if err != nil {
		fail(err)
	}
	sc, chans, reqs, err := ssh.NewClientConn(conn, *addr, cfg)
	if err != nil {
		fail(err)
	}
	c := ssh.NewClient(sc, chans, reqs)
	defer c.Close()
	out("auth ok")
	if *cmd != "" {
		runCommand(c)
	}
	if *shell {
		runShell(c)
	}
	if *signal {
		runSignal(c)
	}
}
