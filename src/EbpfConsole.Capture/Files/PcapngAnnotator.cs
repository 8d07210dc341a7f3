using EbpfConsole.Core.Capture;

namespace EbpfConsole.Capture.Files;

/// <summary>
/// Copies a capture file (pcap or pcapng) to a new pcapng with a comment on chosen packets: used to add
/// the per-connection comments once the analysis of a capture is final. Points are kept (see
/// <see cref="PcapReader"/>); the destination appears only when complete.
/// </summary>
public static class PcapngAnnotator
{
    /// <param name="sourcePath">The capture to copy.</param>
    /// <param name="destinationPath">The pcapng to write (replaced if it exists); not the source.</param>
    /// <param name="commentFor">Frame number (1-based, in file order, as the reader delivers them) → comment, or null for none.</param>
    /// <exception cref="CaptureSourceException">The source cannot be opened or is not a capture; the destination cannot be written.</exception>
    public static void Rewrite(string sourcePath, string destinationPath, Func<long, string?> commentFor) =>
        Rewrite(new FileTarget(sourcePath), destinationPath, commentFor);

    /// <summary>As <see cref="Rewrite(string, string, Func{long, string?})"/>, with the point for a file that does not name one.</summary>
    /// <returns>Frames written; a cut or corrupt tail of the source ends the copy there.</returns>
    public static long Rewrite(FileTarget source, string destinationPath, Func<long, string?> commentFor, string? sectionComment = null)
    {
        ArgumentNullException.ThrowIfNull(source);
        ArgumentException.ThrowIfNullOrEmpty(destinationPath);
        ArgumentNullException.ThrowIfNull(commentFor);
        if (string.Equals(Path.GetFullPath(source.Path), Path.GetFullPath(destinationPath), StringComparison.Ordinal))
        {
            throw new CaptureSourceException($"{destinationPath}: cannot rewrite a capture onto itself; choose another output file");
        }

        using var reader = FileSource.OpenReader(source);
        var temporary = destinationPath + ".tmp-" + Environment.ProcessId;
        try
        {
            long written;
            using (var output = OpenOutput(temporary, destinationPath))
            using (var writer = new PcapngWriter(output, sectionComment))
            {
                written = Copy(reader, writer, commentFor);
            }

            File.Move(temporary, destinationPath, overwrite: true);
            return written;
        }
        catch (Exception error) when (error is IOException or UnauthorizedAccessException)
        {
            DeleteIfPresent(temporary);
            throw new CaptureSourceException($"{destinationPath}: cannot write ({error.Message.ReplaceLineEndings(" ").Trim()})", error);
        }
        catch
        {
            DeleteIfPresent(temporary);
            throw;
        }
    }

    private static long Copy(PcapReader reader, PcapngWriter writer, Func<long, string?> commentFor)
    {
        long number = 0;
        try
        {
            while (reader.TryRead(out var frame))
            {
                number++;
                writer.Write(frame, commentFor(number));
            }
        }
        catch (CaptureFormatException)
        {
            // A corrupt record ends the readable part; what came before it is copied (as FileSource does).
        }

        return number;
    }

    private static void DeleteIfPresent(string path)
    {
        if (File.Exists(path))
        {
            File.Delete(path);
        }
    }

    private static FileStream OpenOutput(string temporary, string destinationPath)
    {
        if (Directory.Exists(destinationPath))
        {
            throw new CaptureSourceException($"{destinationPath}: is a directory; give a file name for the pcapng");
        }

        return new FileStream(temporary, FileMode.Create, FileAccess.Write, FileShare.None, bufferSize: 1 << 16);
    }
}
