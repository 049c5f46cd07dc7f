package org.openigc.server.mail;

import java.io.BufferedInputStream;
import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;
import java.util.concurrent.ExecutorService;
import java.util.concurrent.Executors;
import java.util.concurrent.atomic.AtomicInteger;

/**
 * A TCP relay on a loopback port in front of a real SMTP server, for tests of what the sender does with its
 * connection: counts the connections and the mails whose data was sent through it, and can cut every connection at
 * the first command that follows a given number of mails — between two mails, when the server has answered the data
 * of the last one and nothing of the next one has reached it — and then refuse new connections until {@link #up()}.
 */
final class SmtpRelay implements AutoCloseable {
    private final ServerSocket listener;
    private final int serverPort;
    private final ExecutorService threads = Executors.newCachedThreadPool(runnable -> {
        Thread thread = new Thread(runnable, "smtp-relay");
        thread.setDaemon(true);
        return thread;
    });
    private final List<Socket> open = new CopyOnWriteArrayList<>();
    private final AtomicInteger connections = new AtomicInteger();
    private final AtomicInteger mails = new AtomicInteger();
    private volatile int cutAfterMails = -1;
    private volatile boolean downAfterCut;
    private volatile boolean down;

    SmtpRelay(int serverPort) throws IOException {
        this.serverPort = serverPort;
        this.listener = new ServerSocket(0, 50, InetAddress.getLoopbackAddress());
        threads.execute(this::accept);
    }

    int port() {
        return listener.getLocalPort();
    }

    /** Connections accepted and relayed (refused ones not counted). */
    int connections() {
        return connections.get();
    }

    /** Mails whose data (up to the final dot) went through, on all connections. */
    int mails() {
        return mails.get();
    }

    /** Starts counting anew (open connections stay open). */
    void resetCounts() {
        connections.set(0);
        mails.set(0);
    }

    /** Cuts all connections at the first command after {@code count} mails; {@code thenDown}: refuse new ones. */
    void cutAfter(int count, boolean thenDown) {
        downAfterCut = thenDown;
        cutAfterMails = count;
    }

    /** Accepts connections again after a cut that took the relay down. */
    void up() {
        down = false;
    }

    private void accept() {
        while (!listener.isClosed()) {
            try {
                Socket client = listener.accept();
                if (down) {
                    client.close(); // the client reads no greeting: as a server that is not there
                    continue;
                }
                Socket server = new Socket(InetAddress.getLoopbackAddress(), serverPort);
                client.setTcpNoDelay(true);
                server.setTcpNoDelay(true);
                open.add(client);
                open.add(server);
                connections.incrementAndGet();
                threads.execute(() -> copy(server, client));
                threads.execute(() -> relayCommands(client, server));
            } catch (IOException e) {
                // listener closed, or the server refused: the client sees its connection end
            }
        }
    }

    /** Client to server, line by line, watching for the end of each mail's data and for the cut. */
    private void relayCommands(Socket client, Socket server) {
        try (client; server) {
            InputStream in = new BufferedInputStream(client.getInputStream());
            OutputStream out = server.getOutputStream();
            ByteArrayOutputStream line = new ByteArrayOutputStream();
            boolean inData = false;
            for (int b = in.read(); b != -1; b = in.read()) {
                line.write(b);
                if (b != '\n') {
                    continue;
                }
                String text = line.toString(StandardCharsets.US_ASCII);
                line.reset();
                if (!inData && cutAfterMails >= 0 && mails.get() >= cutAfterMails) {
                    cutAfterMails = -1;
                    down = downAfterCut;
                    cutAll();
                    return;
                }
                out.write(text.getBytes(StandardCharsets.US_ASCII));
                out.flush();
                if (inData && text.equals(".\r\n")) {
                    inData = false;
                    mails.incrementAndGet();
                } else if (!inData && text.equalsIgnoreCase("DATA\r\n")) {
                    inData = true;
                }
            }
        } catch (IOException e) {
            // either side closed
        }
    }

    private static void copy(Socket from, Socket to) {
        try {
            from.getInputStream().transferTo(to.getOutputStream());
        } catch (IOException e) {
            // either side closed
        } finally {
            closeQuietly(to);
        }
    }

    private void cutAll() {
        open.forEach(SmtpRelay::closeQuietly);
        open.clear();
    }

    private static void closeQuietly(Socket socket) {
        try {
            socket.close();
        } catch (IOException e) {
            // already closed
        }
    }

    @Override
    public void close() throws IOException {
        listener.close();
        cutAll();
        threads.shutdownNow();
    }
}
