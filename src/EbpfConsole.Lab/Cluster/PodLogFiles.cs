using System.Text;

namespace EbpfConsole.Lab.Cluster;

/// <summary>
/// The emulated containers' logs: one file per pod and container in <see cref="LabPaths.PodLogDir"/>, each line
/// stored as "RFC3339Nano message" (like the CRI log files kubelet keeps), so --timestamps can be served.
/// </summary>
internal sealed class PodLogFiles(LabPaths paths)
{
    private readonly Lock _lock = new();

    public string Dir => paths.PodLogDir;

    public string PathOf(string ns, string pod, string container) => Path.Combine(Dir, $"{ns}_{pod}_{container}.log");

    public void Append(string ns, string pod, string container, DateTimeOffset time, IEnumerable<string> lines)
    {
        ArgumentNullException.ThrowIfNull(lines);
        var text = new StringBuilder();
        foreach (var line in lines)
        {
            text.Append(LogFormat.Rfc3339Nano(time)).Append(' ').Append(line.Replace('\n', ' ')).Append('\n');
        }

        lock (_lock)
        {
            Directory.CreateDirectory(Dir);
            File.AppendAllText(PathOf(ns, pod, container), text.ToString());
        }
    }

    /// <summary>Removes the logs of pods that no longer exist (<paramref name="livePods"/> holds "ns_pod" keys).</summary>
    public void RemoveAllExcept(IReadOnlySet<string> livePods)
    {
        ArgumentNullException.ThrowIfNull(livePods);
        if (!Directory.Exists(Dir))
        {
            return;
        }

        lock (_lock)
        {
            foreach (var file in Directory.EnumerateFiles(Dir, "*.log"))
            {
                var name = Path.GetFileNameWithoutExtension(file);
                var cut = name.LastIndexOf('_');
                if (cut > 0 && !livePods.Contains(name[..cut]))
                {
                    File.Delete(file);
                }
            }
        }
    }

    public static string Key(string ns, string pod) => $"{ns}_{pod}";
}
