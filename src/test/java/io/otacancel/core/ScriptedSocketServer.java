package io.otacancel.core;

import java.io.ByteArrayOutputStream;
import java.io.IOException;
import java.io.InputStream;
import java.io.OutputStream;
import java.net.InetAddress;
import java.net.ServerSocket;
import java.net.Socket;
import java.net.URLDecoder;
import java.nio.charset.StandardCharsets;
import java.util.List;
import java.util.concurrent.CopyOnWriteArrayList;

/**
 * A loopback endpoint that misbehaves below HTTP, where an HTTP server library cannot: it reads
 * each request's head, records its {@code SignatureNonce}, then answers with raw bytes as its
 * {@link Reply} says (part of a status line followed by a TCP reset, an answer trickling in byte
 * by byte, a redirect). Every connection gets its own daemon thread, so a reply that hangs
 * holds up nothing else.
 */
final class ScriptedSocketServer implements AutoCloseable {
  /** What the server does with one connection once it has read the request head. */
  interface Reply {
    void write(Socket socket) throws IOException, InterruptedException;
  }

  private final ServerSocket listener;
  private final Reply reply;
  private final List<String> nonces = new CopyOnWriteArrayList<>();
  private final List<Socket> sockets = new CopyOnWriteArrayList<>();

  private ScriptedSocketServer(ServerSocket listener, Reply reply) {
    this.listener = listener;
    this.reply = reply;
  }

  static ScriptedSocketServer start(Reply reply) throws IOException {
    ScriptedSocketServer server = new ScriptedSocketServer(
        new ServerSocket(0, 50, InetAddress.getLoopbackAddress()), reply);
    daemon("scripted-accept", server::acceptLoop);
    return server;
  }

  /** Writes {@code bytes}, then resets the connection (SO_LINGER 0 makes close send an RST). */
  static Reply resetAfter(String bytes) {
    return socket -> {
      write(socket, bytes);
      socket.setSoLinger(true, 0);
      socket.close();
    };
  }

  /** Writes {@code bytes} and closes the connection normally. */
  static Reply answer(String bytes) {
    return socket -> {
      write(socket, bytes);
      socket.close();
    };
  }

  /**
   * Writes {@code atOnce}, then {@code slowly} one byte at a time, {@code gapMillis} apart: never
   * silent for long, never done.
   */
  static Reply trickle(String atOnce, String slowly, long gapMillis) {
    return socket -> {
      write(socket, atOnce);
      OutputStream out = socket.getOutputStream();
      for (byte b : slowly.getBytes(StandardCharsets.UTF_8)) {
        out.write(b);
        out.flush();
        Thread.sleep(gapMillis);
      }
      socket.close();
    };
  }

  /** A complete HTTP/1.1 answer that closes the connection after it. */
  static String http(String statusLine, String extraHeaders, String body) {
    return "HTTP/1.1 " + statusLine + "\r\n" + extraHeaders
        + "Content-Length: " + body.getBytes(StandardCharsets.UTF_8).length + "\r\n"
        + "Connection: close\r\n\r\n" + body;
  }

  /** The value for {@code IOT_ENDPOINT}. */
  String endpoint() {
    return "http://127.0.0.1:" + listener.getLocalPort() + "/";
  }

  /** The {@code SignatureNonce} of every request received, in order ("" when it had none). */
  List<String> nonces() {
    return List.copyOf(nonces);
  }

  @Override
  public void close() throws IOException {
    listener.close();
    for (Socket socket : sockets) {
      socket.close();
    }
  }

  private void acceptLoop() {
    while (!listener.isClosed()) {
      Socket socket;
      try {
        socket = listener.accept();
      } catch (IOException e) {
        return; // closed
      }
      sockets.add(socket);
      daemon("scripted-connection", () -> serve(socket));
    }
  }

  private void serve(Socket socket) {
    try (socket) {
      String head = readHead(socket.getInputStream());
      if (head == null) {
        return; // the client gave up before sending a request
      }
      nonces.add(nonce(head));
      reply.write(socket);
    } catch (IOException | InterruptedException e) {
      // the client went away, or the server is closing: nothing to answer
    }
  }

  /** The request line and headers; the client always sends an empty body. */
  private static String readHead(InputStream in) throws IOException {
    ByteArrayOutputStream head = new ByteArrayOutputStream();
    int b;
    while ((b = in.read()) != -1) {
      head.write(b);
      String text = head.toString(StandardCharsets.ISO_8859_1);
      if (text.endsWith("\r\n\r\n")) {
        return text;
      }
    }
    return null;
  }

  private static String nonce(String head) {
    String target = head.substring(head.indexOf(' ') + 1, head.indexOf(" HTTP/"));
    int query = target.indexOf('?');
    for (String pair : target.substring(query + 1).split("&")) {
      if (pair.startsWith("SignatureNonce=")) {
        return URLDecoder.decode(pair.substring("SignatureNonce=".length()),
            StandardCharsets.UTF_8);
      }
    }
    return "";
  }

  private static void write(Socket socket, String bytes) throws IOException {
    OutputStream out = socket.getOutputStream();
    out.write(bytes.getBytes(StandardCharsets.UTF_8));
    out.flush();
  }

  private static void daemon(String name, Runnable task) {
    Thread thread = new Thread(task, name);
    thread.setDaemon(true);
    thread.start();
  }
}
