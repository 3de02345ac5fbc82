namespace NeuralNet.Tests.Readme;

using Microsoft.CodeAnalysis;
using Microsoft.CodeAnalysis.CSharp;
using Microsoft.CodeAnalysis.Text;

/// <summary>
/// What a README block says it prints, read from its comments (the convention the README states in its Quickstart):
/// <list type="bullet">
/// <item><c>// prints TEXT</c>, at the end of a line or on a line of its own, is one line of output, TEXT.</item>
/// <item><c>// prints:</c> on a line of its own introduces several: each <c>//</c> comment line directly below it
/// is one line of output, without its <c>// </c>.</item>
/// </list>
/// The program's whole output must be these lines, in order; a block without such comments must print nothing.
/// </summary>
internal static class ExpectedOutput
{
    private const string OneLine = "// prints ";
    private const string ManyLines = "// prints:";

    /// <summary>The lines the block's comments say it prints, in order.</summary>
    public static IReadOnlyList<string> Of(SyntaxTree program)
    {
        // Comments come from the syntax tree, so a "//" inside a string literal is never mistaken for one.
        var comments = program.GetRoot().DescendantTrivia()
            .Where(trivia => trivia.IsKind(SyntaxKind.SingleLineCommentTrivia))
            .Select(trivia => (Line: trivia.GetLocation().GetLineSpan().StartLinePosition.Line, Text: trivia.ToString().TrimEnd(), OwnLine: IsOwnLine(trivia)))
            .ToList();

        var expected = new List<string>();
        for (int i = 0; i < comments.Count; i++)
        {
            var (line, text, ownLine) = comments[i];
            if (text.StartsWith(OneLine, StringComparison.Ordinal))
            {
                expected.Add(text[OneLine.Length..]);
            }
            else if (ownLine && text == ManyLines)
            {
                for (; i + 1 < comments.Count && comments[i + 1].OwnLine && comments[i + 1].Line == line + 1; i++, line++)
                {
                    string body = comments[i + 1].Text[2..];
                    expected.Add(body.StartsWith(' ') ? body[1..] : body);
                }
            }
        }

        return expected;
    }

    /// <summary>Splits printed text into lines, ignoring line-ending style and the final line break.</summary>
    public static IReadOnlyList<string> Lines(string printed)
    {
        string text = printed.ReplaceLineEndings("\n");
        return text.Length == 0 ? [] : text.TrimEnd('\n').Split('\n').Select(line => line.TrimEnd()).ToArray();
    }

    private static bool IsOwnLine(SyntaxTrivia comment)
    {
        SourceText text = comment.SyntaxTree!.GetText();
        TextLine line = text.Lines.GetLineFromPosition(comment.SpanStart);
        return string.IsNullOrWhiteSpace(text.ToString(TextSpan.FromBounds(line.Start, comment.SpanStart)));
    }
}
