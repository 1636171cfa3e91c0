import java.nio.file.Files;
import java.nio.file.Path;

/**
 * Formats KRaft storage with the admin principal's SCRAM-SHA-512 credential, reading the password
 * from its 0600 file so it never appears on a command line (visible to every local user in ps).
 * Run by kafka.sh in Java's source-file mode: java -cp 'libs/*' FormatWithAdmin.java
 * server.properties cluster-id admin-name password-file
 */
public class FormatWithAdmin {
  public static void main(String[] args) throws Exception {
    String password = Files.readString(Path.of(args[3])).trim();
    kafka.tools.StorageTool.main(new String[] {
      "format", "-c", args[0], "-t", args[1],
      "--add-scram", "SCRAM-SHA-512=[name=" + args[2] + ",password=" + password + "]",
    });
  }
}
