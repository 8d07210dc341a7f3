namespace EbpfConsole.Nodes.Tests;

/// <summary>Real public keys made with ssh-keygen; fingerprints are what <c>ssh-keygen -lf</c> printed for them.</summary>
internal static class TestKeys
{
    public const string Ed25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIMbRFpXtYKfXG4Nt1oa5oKyOy0JOu4VadZ5vKjEchWg6";
    public const string Ed25519Fingerprint = "SHA256:WggMI3nJ25VfY2t0zDyffV2TbQyaeHFPNB/zCVTbXTA";

    public const string OtherEd25519 = "AAAAC3NzaC1lZDI1NTE5AAAAIBmnw57iOoYO2Jzrk2dc3ieT8Tp45B5OltWiAUk4A3sO";

    public const string Ecdsa = "AAAAE2VjZHNhLXNoYTItbmlzdHAyNTYAAAAIbmlzdHAyNTYAAABBBFAa87wz2Pk9mCGspdAEt5zWZFgatC0VIKLnj567B3K9X/Acv48ZYr3Uglwpo9DbRo6kh0rDpZjFeSRCPqfUxiw=";
    public const string EcdsaFingerprint = "SHA256:nu+MCTIl1zin1iWtFqvOK9lwzbEDd3Iszqo2twVQzZM";

    /// <summary><c>ssh-keygen -H</c> output for the line <c>[127.0.0.1]:2222 ssh-ed25519 {Ed25519}</c>.</summary>
    public const string SshKeygenHashedLine =
        "|1|XZu37YE8Gq+FdMoUo9oLn4RZbUg=|vc5hsSWvRbz439sKqGE6X4Kph9c= ssh-ed25519 " + Ed25519;

    public static byte[] Ed25519Blob => Convert.FromBase64String(Ed25519);

    public static byte[] OtherEd25519Blob => Convert.FromBase64String(OtherEd25519);

    public static byte[] EcdsaBlob => Convert.FromBase64String(Ecdsa);
}
