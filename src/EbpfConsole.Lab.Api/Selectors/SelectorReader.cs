namespace EbpfConsole.Lab.Api.Selectors;

/// <summary>A cursor over selector text: words end at spaces, commas, parentheses and operators.</summary>
internal sealed class SelectorReader(string text)
{
    private int _pos;

    public bool AtEnd => _pos >= text.Length;

    public char Peek => text[_pos];

    public string Rest => text[_pos..];

    public void SkipSpaces()
    {
        while (!AtEnd && char.IsWhiteSpace(text[_pos]))
        {
            _pos++;
        }
    }

    public bool TryConsume(string token)
    {
        SkipSpaces();
        if (string.CompareOrdinal(text, _pos, token, 0, token.Length) == 0)
        {
            _pos += token.Length;
            return true;
        }

        return false;
    }

    /// <summary>The next word; an empty word is refused unless <paramref name="allowEmpty"/>.</summary>
    public string ReadWord(bool allowEmpty = false)
    {
        SkipSpaces();
        var start = _pos;
        while (!AtEnd && !char.IsWhiteSpace(text[_pos]) && text[_pos] is not (',' or '(' or ')' or '=' or '!'))
        {
            _pos++;
        }

        var word = text[start.._pos];
        if (word.Length == 0 && !allowEmpty)
        {
            throw LabelSelector.Error($"found '{(AtEnd ? string.Empty : text[_pos].ToString())}', expected: identifier");
        }

        return word;
    }
}
