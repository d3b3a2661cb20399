import Core
import GRDB
